"""Reading events for pages: lists in time order, a group's next few, one event or 404, attendance figures."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import permissions
from app.community.queries import MAX_ID
from app.extensions import db
from app.models import Event, EventRsvp, Group, RsvpStatus
from app.models.base import utcnow

GROUP_PAGE_EVENTS = 3


def count_events(viewer: Any, *, past: bool) -> int:
    now = utcnow()
    when = Event.ends_at <= now if past else Event.ends_at > now
    query = select(func.count()).select_from(Event).where(when, permissions.visible_event_filter(viewer))
    return db.session.scalar(query) or 0


def listed_events(viewer: Any, *, past: bool, offset: int, limit: int) -> list[Event]:
    """Upcoming (and under way) soonest first, or past ones latest first; each with its group, in one query."""
    now = utcnow()
    query = select(Event).where(permissions.visible_event_filter(viewer)).options(joinedload(Event.group))
    if past:
        query = query.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        query = query.where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
    return list(db.session.scalars(query.offset(offset).limit(limit)))


def group_next_events(group: Group, viewer: Any, *, joined: bool) -> list[Event]:
    """The group's next few events that are not cancelled, for its page (one query, none when the reader may not
    see them: the rule is view_event's, asked of the group the page already loaded)."""
    if not permissions.can(viewer, "view_group_events", (group, joined)):
        return []
    query = (
        select(Event)
        .where(Event.group_id == group.id, Event.ends_at > utcnow(), Event.cancelled_at.is_(None))
        .order_by(Event.starts_at, Event.id)
        .limit(GROUP_PAGE_EVENTS)
    )
    return list(db.session.scalars(query))


def event_or_404(event_id: int, viewer: Any) -> Event:
    """The event if the viewer may see it; a members-only group's event answers 404 to others, as a missing one."""
    if not 0 < event_id <= MAX_ID:
        abort(404)
    event = db.session.scalar(select(Event).where(Event.id == event_id).options(joinedload(Event.group)))
    if event is None or not permissions.can(viewer, "view_event", event):
        abort(404)
    return event


def waiting_count(event: Event) -> int:
    query = select(func.count()).where(EventRsvp.event_id == event.id, EventRsvp.status == RsvpStatus.WAITING)
    return db.session.scalar(query) or 0
