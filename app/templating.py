"""Helpers available in every template."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask_login import current_user

from app import permissions
from app.forms import EmptyForm


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
    # A global, not a context variable: macros imported without context (the `button` macro) see only globals.
    app.jinja_env.globals["button_form"] = EmptyForm

    @app.context_processor
    def inject_helpers() -> dict:
        def can(action: str, target: object) -> bool:
            return permissions.can(current_user, action, target)

        return {"can": can}
