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
    if starts.date() == ends.date():
        last = format_datetime(ends, "HH:mm zzz", tzinfo=zone, locale=locale)
    else:
        last = format_datetime(ends, "EEE d MMM y, HH:mm zzz", tzinfo=zone, locale=locale)
    return _("%(start)s–%(end)s", start=first, end=last)


def reader_zone_name() -> str:
    return str(getattr(get_timezone(), "zone", None) or get_timezone())


def event_when(event: Event) -> str:
    """The event's time in the reader's zone (UTC for visitors)."""
    return span(event.starts_at, event.ends_at, ZoneInfo(reader_zone_name()))


def event_own_when(event: Event) -> str | None:
    """The event's time in its own zone, or None when the reader already sees that zone."""
    if event.timezone == reader_zone_name():
        return None
    return span(event.starts_at, event.ends_at, ZoneInfo(event.timezone))


def register(app: Flask) -> None:
    app.jinja_env.globals["event_when"] = event_when
    app.jinja_env.globals["event_own_when"] = event_own_when
