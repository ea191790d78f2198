"""Calendar files (RFC 5545, through the icalendar library): one event's .ics, and each member's private feed of
the events they are going to, at an address carrying a signed token they can reset."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from app.database.dml import insert_once, rows_matched
from app.extensions import db
from app.models import Event, EventCalendarFeed, EventRsvp, Member, MemberStatus, RsvpStatus
from app.models.base import utcnow
from app.permissions import visible_event_filter
from app.services.notify.notifications import link_for

FEED_SALT = "kindred.events.calendar-feed"
PRODID = "-//Kindred//Events//EN"
TOKEN_MAX = 300


def _uid(event: Event) -> str:
    """Stable for the event's whole life, so calendar apps update (or cancel) their copy instead of adding one."""
    base = current_app.config.get("BASE_URL") or "http://localhost"
    return f"event-{event.id}@{urlsplit(base).hostname or 'localhost'}"


def _vevent(event: Event) -> icalendar.Event:
    zone = ZoneInfo(event.timezone)
    entry = icalendar.Event()
    entry.add("uid", _uid(event))
    entry.add("dtstamp", event.updated_at)
    entry.add("created", event.created_at)
    entry.add("last-modified", event.updated_at)
    entry.add("sequence", event.sequence)
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    entry.add("summary", event.title)
    description = "\n\n".join(part for part in (event.host, event.description) if part)
    if description:
        entry.add("description", description)
    if event.location:
        entry.add("location", event.location)
    entry.add("url", link_for("events.show", event_id=event.id))
    entry.add("status", "CANCELLED" if event.cancelled_at is not None else "CONFIRMED")
    return entry


def calendar_bytes(events: Iterable[Event], name: str) -> bytes:
    """A VCALENDAR of the events, each time in its own zone (TZID) with the zone's VTIMEZONE; CRLF line ends and
    folding as RFC 5545 asks (icalendar does both)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=FEED_SALT)


def feed_token(member: Member) -> str:
    """The member's feed token, making their feed key on first use (two tabs at once make one)."""
    insert_once(EventCalendarFeed, member_id=member.id, feed_key=secrets.token_hex(32), created_at=utcnow())
    db.session.commit()
    key = db.session.scalar(select(EventCalendarFeed.feed_key).where(EventCalendarFeed.member_id == member.id))
    return _serializer().dumps([member.id, key])


def reset_feed_token(member: Member) -> str:
    """A new key: every address given out before stops working at once."""
    if not rows_matched(
        update(EventCalendarFeed)
        .where(EventCalendarFeed.member_id == member.id)
        .values(feed_key=secrets.token_hex(32), created_at=utcnow())
    ):
        db.session.rollback()
    db.session.commit()
    return feed_token(member)


def feed_member(token: str) -> Member | None:
    """Whose feed a token opens: None for a tampered, reset or unknown token, or an account that is gone."""
    try:
        data = _serializer().loads(token[:TOKEN_MAX])
    except BadSignature:
        return None
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], int) and isinstance(data[1], str)):
        return None
    member_id, key = data
    stored = db.session.scalar(select(EventCalendarFeed.feed_key).where(EventCalendarFeed.member_id == member_id))
    if stored is None or not secrets.compare_digest(stored, key):
        return None
    member = db.session.get(Member, member_id)
    return member if member is not None and member.status != MemberStatus.DELETED else None


def feed_events(member: Member) -> list[Event]:
    """The events the member is going to that they may still see, cancelled ones included (as cancelled)."""
    query = (
        select(Event)
        .join(EventRsvp, EventRsvp.event_id == Event.id)
        .where(EventRsvp.member_id == member.id, EventRsvp.status == RsvpStatus.GOING, visible_event_filter(member))
        .order_by(Event.starts_at, Event.id)
    )
    return list(db.session.scalars(query))
