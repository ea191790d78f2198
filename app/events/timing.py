"""An event's time as a reader sees it: in their own zone, and in the event's zone when that differs."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _

from app.models import Event


def span(start: datetime, end: datetime, zone: tzinfo) -> str:
    """ "Mon 26 Oct 2026, 09:00–10:30 GMT" in `zone`, the end's date written out only when it is another day."""
    locale = get_locale()
    starts, ends = start.astimezone(zone), end.astimezone(zone)
    first = format_datetime(starts, "EEE d MMM y, HH:mm", tzinfo=zone, locale=locale)
    pattern = "HH:mm" if starts.date() == ends.date() else "EEE d MMM y, HH:mm"
    last = f"{format_datetime(ends, pattern, tzinfo=zone, locale=locale)} {_zone_label(ends, zone)}"
    return _("%(start)s–%(end)s", start=first, end=last)


def _zone_label(moment: datetime, zone: tzinfo) -> str:
    """The zone's short name ("UTC", "EDT"), or "GMT+01:00" where the language has no name for it (not "+0100")."""
    locale = get_locale()
    short = format_datetime(moment, "zzz", tzinfo=zone, locale=locale)
    return format_datetime(moment, "ZZZZ", tzinfo=zone, locale=locale) if short[:1] in "+-" else short


def reader_zone_name() -> str:
    return str(getattr(get_timezone(), "zone", None) or get_timezone())


def event_when(event: Event) -> str:
    """The event's time in the reader's zone (UTC for visitors)."""
    return span(event.starts_at, event.ends_at, ZoneInfo(reader_zone_name()))


def event_own_when(event: Event) -> str | None:
    """The event's time in its own zone, or None when the reader's clock reads the same then (same zone, or the
    same offset at that moment, as UTC and London in winter)."""
    own, reader = ZoneInfo(event.timezone), ZoneInfo(reader_zone_name())
    if (
        event.timezone == reader_zone_name()
        or event.starts_at.astimezone(own).utcoffset() == event.starts_at.astimezone(reader).utcoffset()
    ):
        return None
    return span(event.starts_at, event.ends_at, own)


def register(app: Flask) -> None:
    app.jinja_env.globals["event_when"] = event_when
    app.jinja_env.globals["event_own_when"] = event_own_when
