"""Kindred: a self-hosted patient community forum."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from app.ops import log_safety
from app.services.media.storage import check_uploads_config
from config import (
    CONFIGS,
    check_production_base_url,
    check_production_rate_limits,
    check_production_secret,
    check_required_2fa_roles,
)


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI and error pages. No other side effects."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static", instance_relative_config=True)
    config_name = config_name or os.environ.get("KINDRED_ENV", "development")
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides or {})
    app.config.setdefault("KINDRED_ENV", config_name)
    if app.config.get("ALLOWED_HOSTS"):  # any other Host header is refused with 400 before a view runs
        app.config["TRUSTED_HOSTS"] = list(app.config["ALLOWED_HOSTS"])
    if config_name == "production":
        check_production_secret(app.config.get("SECRET_KEY"))
        check_production_rate_limits(app.config.get("RATELIMIT_ENABLED"))
        check_production_base_url(app.config.get("BASE_URL"))
    check_required_2fa_roles(tuple(app.config.get("REQUIRE_2FA_ROLES", ())))
    check_uploads_config(app.config)  # a storage that cannot work stops the app now, not at the first upload
    _tune_engine(app)
    log_safety.register(app)  # before the engine exists: SQL logging never shows values

    from app.account import bp as account_bp
    from app.announcements import bp as announcements_bp
    from app.auth import bp as auth_bp
    from app.auth import oidc
    from app.bookmarks import bp as bookmarks_bp
    from app.community import bp as community_bp
    from app.database import pragmas, replica  # noqa: F401 - pragmas: SQLite's settings on every new connection
    from app.drafts import bp as drafts_bp
    from app.events import bp as events_bp
    from app.events import timing as event_timing
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate
    from app.feeds import bp as feeds_bp
    from app.guidelines import bp as guidelines_bp
    from app.helpful import bp as helpful_bp
    from app.main import bp as main_bp
    from app.media import bp as media_bp
    from app.members import bp as members_bp
    from app.mentoring import bp as mentoring_bp
    from app.messages import bp as messages_bp
    from app.mod import bp as mod_bp
    from app.notify import bp as notify_bp
    from app.ops import mail_worker
    from app.ops.cli import register_cli
    from app.privacy import bp as privacy_bp
    from app.questions import bp as questions_bp
    from app.reading import bp as reading_bp
    from app.resources import bp as resources_bp
    from app.search import bp as search_bp
    from app.services.search import index  # noqa: F401 - attaches the search DDL to create_all()/drop_all()
    from app.sharing import bp as sharing_bp
    from app.staff import bp as staff_bp
    from app.web import access, errors, i18n, page_cache, security, static_files
    from app.web.templating import register_template_helpers

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    i18n.configure(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    limiter.init_app(app)

    for blueprint in (main_bp, auth_bp, community_bp, members_bp, mod_bp, search_bp, feeds_bp):
        app.register_blueprint(blueprint)
    for blueprint in (guidelines_bp, resources_bp, helpful_bp, announcements_bp, staff_bp):  # staff's tools
        app.register_blueprint(blueprint)
    app.register_blueprint(notify_bp)  # follows, notification settings, unsubscribe, send-digest
    app.register_blueprint(messages_bp)  # private messages
    app.register_blueprint(bookmarks_bp)  # bookmarks, their notes and reminders
    app.register_blueprint(questions_bp)  # questions in advance of events, their review and answers
    app.register_blueprint(drafts_bp)  # members' own drafts, saved from every composer
    app.register_blueprint(account_bp)  # account security: verification, password reset and change, e-mail
    app.register_blueprint(privacy_bp)  # profile settings, export and account deletion
    app.register_blueprint(reading_bp)  # what is new since the member was last here
    app.register_blueprint(mentoring_bp)  # mentors' welcome queue and check-ins
    app.register_blueprint(media_bp)  # pictures, served after the decision about what they belong to
    app.register_blueprint(events_bp)  # events, replies to them and calendar files
    app.register_blueprint(sharing_bp)  # share cards, oEmbed and embeds: what leaves the site with consent
    register_template_helpers(app)
    oidc.init_app(app)  # a bad OIDC_* setting stops the app here, with what to fix
    event_timing.register(app)
    i18n.register(app)
    static_files.register(app)  # content-versioned static URLs, kept a year by browsers
    errors.register(app)
    page_cache.register(app)  # before the access gate: a member's cached page is answered without loading them
    access.register(app)
    security.register(app)
    replica.register(app)
    _trust_proxy(app)
    register_cli(app)
    mail_worker.register(app)
    return app


def _tune_engine(app: Flask) -> None:
    """Pool options suit client/server databases; SQLite gets its own connection handling instead."""
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
        if uri != "sqlite://" and "mode=memory" not in uri:
            os.makedirs(app.instance_path, exist_ok=True)


def _trust_proxy(app: Flask) -> None:
    """Behind nginx, take the client's address and scheme from the proxy's headers (KINDRED_PROXY_COUNT proxies).

    Off by default: without a proxy that overwrites them, these headers come from the client and could be forged to
    dodge rate limits. X-Forwarded-Host is never trusted; nginx passes the Host header itself.
    """
    count = app.config.get("PROXY_COUNT", 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
