"""Error pages in the site's layout, and the 503 answer when the database is unreachable."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, OperationalError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

from app.extensions import db, login_manager
from app.permissions.refusals import SECOND_FACTOR_FIRST
from app.web.access import to_enrolment
from app.web.limits import limit_reached_message, seconds_until_reset
from app.web.redirects import safe_next

log = logging.getLogger(__name__)

TITLES = {
    400: _l("Something was wrong with that request"),
    403: _l("You can't do that here"),
    404: _l("We couldn't find that page"),
    405: _l("That action isn't available here"),
    413: _l("That was too much to send at once"),
    429: _l("Please slow down a little"),
    500: _l("Something went wrong on our side"),
    503: _l("Kindred is briefly unavailable"),
}


def render_error(status: int, message: str | None = None) -> tuple[str, int]:
    """The error page for `status`, with an optional sentence saying what to do next."""
    if status >= 500:
        # Flask-Login's template context loads the signed-in member eagerly, from the database that may be
        # what just failed: server error pages render as for a visitor instead.
        login_manager._update_request_context_with_user()
    page = render_template(
        "errors/error.html",
        status=status,
        title=str(TITLES.get(status) or _("Error")),  # a str: Jinja would print a lazy string unescaped
        message=message,
        bare=status >= 500,
        back=_same_site_referrer() if status == 429 else None,
    )
    return page, status


def _same_site_referrer() -> str | None:
    """The path of the page the member came from, when it is one of ours: where to go on after waiting."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None  # another site's page
    if request.method == "GET" and referrer.path == request.path:
        return None  # the limited page itself: going back would only be limited again
    return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


def human_size(size: int) -> str:
    """A byte count as a person reads it, in the page's language ("1 MB", "1,5 Mo")."""
    if size >= 1024 * 1024:
        return _("%(number)s MB", number=format_decimal(round(size / (1024 * 1024), 1)))
    if size >= 1024:
        return _("%(number)s KB", number=format_decimal(round(size / 1024, 1)))
    return _("%(number)s bytes", number=format_decimal(size))


def _forget_body() -> None:
    """The body was refused for its size: whatever reads the form while the error page renders finds it empty,
    instead of reading the body again and raising a second time."""
    empty: ImmutableMultiDict[str, str] = ImmutableMultiDict()
    request.__dict__.update(form=empty, files=ImmutableMultiDict(), _cached_data=b"")


def _suspended() -> bool:
    return bool(current_user.is_authenticated and getattr(current_user, "is_suspended", False))


def render_suspension(refusal: str | None) -> str:
    """A suspended member refused something is told until when and why, and what they can still do, in place of
    a bare error page."""
    return render_template("errors/suspended.html", title=_("Your account is suspended"), refusal=refusal)


def register(app: Flask) -> None:
    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):  # noqa: ANN202
        # A Host outside KINDRED_ALLOWED_HOSTS: Flask builds no URLs for it, so the page in the layout cannot render.
        text = _("This site does not answer to that address.")
        return text, 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):  # noqa: ANN202
        _forget_body()
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        message = _("The most one page can send is %(size)s. Please send less at once.", size=human_size(limit))
        return render_error(413, message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # noqa: ANN202
        return render_error(
            400, _("Your form expired or came from another site. Please go back, reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # noqa: ANN202
        if error.code == 403 and error.description == SECOND_FACTOR_FIRST:
            return to_enrolment()
        if error.code == 403 and _suspended():
            return render_suspension(error.description), 403
        if error.code == 429 and error.response is not None:
            return error.response  # a form shown again with what was typed (e.g. sign-up's)
        if error.code == 429:  # the limiter's own text ("5 per 1 hour") means nothing to a member
            description: str | None = limit_reached_message(seconds_until_reset())
        else:
            description = error.description if error.code == 403 else None
        body, status = render_error(error.code or 500, description)
        headers = error.get_headers() if error.code == 429 else []
        retry = [(k, v) for k, v in headers if k.lower() == "retry-after"]
        return body, status, retry

    @app.errorhandler(OperationalError)
    @app.errorhandler(DisconnectionError)
    def database_unavailable(error: Exception):  # noqa: ANN202
        log.error("database unavailable: %s", type(error).__name__)
        db.session.rollback()
        body, status = render_error(503, _("We can't reach our database right now. Please try again in a minute."))
        return body, status, {"Retry-After": "60"}

    @app.errorhandler(500)
    def server_error(error: Exception):  # noqa: ANN202
        db.session.rollback()
        return render_error(500, _("The team has been told. Please try again in a moment."))
