"""A member's language and time zone: what every page and e-mail to them is written in and dated by."""

from __future__ import annotations

import zoneinfo
from functools import cache

from flask import current_app
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
