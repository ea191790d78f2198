"""A member's language and time zone: what every page and e-mail to them is written in and dated by."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from types import SimpleNamespace

import pytz  # type: ignore[import-untyped]  # Flask-Babel's own zones, which it calls .normalize() on
from flask import current_app, g, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.models import Member
from app.services import ServiceError


@cache
def time_zones() -> tuple[str, ...]:
    """Region/City zones members can pick (the legacy and POSIX aliases left out), UTC first."""
    legacy = ("Etc/", "SystemV/", "posix/", "right/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(legacy))
    return ("UTC", *zones)


def change_language(member: Member, *, language: str, timezone: str | None = None) -> None:
    """Save the member's language (one the community offers) and, when given, their time zone."""
    if language not in current_app.config["LOCALES"]:
        raise ServiceError(_("Choose one of the languages in the list."), "language")
    if timezone is not None and timezone not in time_zones():
        raise ServiceError(_("Choose a time zone from the list."), "timezone")
    member.locale = language
    if timezone is not None:
        member.timezone = None if timezone == "UTC" else timezone
    db.session.commit()


def recipient_locale(member: Member) -> str:
    """The language an e-mail or notification to `member` is written in: theirs if the community offers it."""
    locale = member.locale
    return locale if locale and locale in current_app.config["LOCALES"] else current_app.config["DEFAULT_LOCALE"]


def recipient_timezone(member: Member) -> str:
    """The zone dates in an e-mail or notification to `member` are given in (no choice means UTC)."""
    return member.timezone or "UTC"


@contextmanager
def in_recipients_language(member: Member) -> Iterator[None]:
    """Write what is rendered inside for `member`: their language, and dates in their time zone.

    Flask-Babel's force_locale switches the language only; the time zone it caches beside the locale (on
    `g._flask_babel`, as a pytz zone) is swapped here the same way, so format_datetime() in an e-mail uses the
    recipient's zone and not the zone of whoever's request queued it.
    """
    if not has_app_context():
        yield
        return
    ctx = g.setdefault("_flask_babel", SimpleNamespace())
    saved = getattr(ctx, "babel_tzinfo", None)
    ctx.babel_tzinfo = pytz.timezone(recipient_timezone(member))
    try:
        with force_locale(recipient_locale(member)):
            yield
    finally:
        ctx.babel_tzinfo = saved
