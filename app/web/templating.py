"""Helpers available in every template."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, g
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from app import permissions
from app.extensions import db
from app.mod.queries import count_open_items
from app.models import Notification
from app.services.content.announcements import with_announcements
from app.web.forms import EmptyForm
from app.web.url_cache import id_url


def time_ago(moment: datetime | None) -> str:
    """ "3 hours ago"-style wording; exact time goes in the <time> element's title."""
    if moment is None:
        return "never"
    seconds = int((datetime.now(UTC) - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for unit, size in (
        ("year", 31_536_000),
        ("month", 2_592_000),
        ("day", 86_400),
        ("hour", 3600),
        ("minute", 60),
    ):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["time_ago"] = time_ago
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
    app.jinja_env.globals["NOT_JOINED"] = permissions.NOT_JOINED
    app.jinja_env.globals["GUIDELINES_CHANGED"] = permissions.GUIDELINES_CHANGED
    # A global, not a context variable: macros imported without context (the `button` macro) see only globals.
    app.jinja_env.globals["button_form"] = button_form

    # Globals, not context variables, so macros imported without context can ask too.
    app.jinja_env.globals["can"] = _can
    app.jinja_env.globals["nav_counts"] = nav_counts
    app.jinja_env.globals["id_url"] = id_url  # url_for for links repeated per row (app/web/url_cache.py)


class ButtonForm:
    """What a one-button POST form needs: the hidden CSRF field, rendered once per request.

    A topic page has a few dozen such buttons for a member; building and rendering a form for each one cost more
    than the rest of the page. They all carry the same token anyway."""

    def __init__(self) -> None:
        self.csrf_token = Markup(EmptyForm().csrf_token())  # noqa: S704 - WTForms' own escaped rendering


def button_form() -> ButtonForm:
    """The hidden CSRF field of every one-button POST on this page (the `button` macro asks for it)."""
    form = g.get("kindred_button_form")
    if form is None:
        form = g.kindred_button_form = ButtonForm()
    return form


def _can(action: str, target: object) -> bool:
    # The member itself, not the proxy: a topic page asks a hundred questions, each of many attribute reads.
    return permissions.can(current_user._get_current_object(), action, target)


def nav_counts() -> dict[str, Any]:
    """Unread notifications with the announcements banner (one query together), and open review items for the
    moderation team (one query)."""
    if not current_user.is_authenticated:
        return {
            "announcements": [r.Announcement for r in db.session.execute(with_announcements(None)) if r.Announcement]
        }
    unread = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.member_id == current_user.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    rows = db.session.execute(with_announcements(current_user, unread)).all()
    counts = {"unread": rows[0].figure or 0, "announcements": [r.Announcement for r in rows if r.Announcement]}
    if permissions.can(current_user, "view_queue", None):
        counts["queue"] = count_open_items(current_user)
    return counts
