"""A group page's next events: kept apart from the events blueprint, which the community pages must not import."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.models import Event, Group
from app.models.base import utcnow

GROUP_PAGE_EVENTS = 3


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
