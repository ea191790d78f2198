"""Event fixtures: a staff member with a browser, members with theirs, and reading what was stored."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Delivery, Event, EventRsvp, Member, NotificationPreference, RsvpStatus


def rsvps_of(event: Event) -> dict[int, RsvpStatus]:
    """member id -> status, as committed."""
    db.session.rollback()
    rows = db.session.execute(select(EventRsvp.member_id, EventRsvp.status).where(EventRsvp.event_id == event.id))
    return {member_id: status for member_id, status in rows}


def fresh(event: Event) -> Event:
    """The event as committed now."""
    db.session.rollback()
    found = db.session.get(Event, event.id)
    assert found is not None
    db.session.refresh(found)
    return found


def status_of(member: Member, event: Event) -> RsvpStatus | None:
    return rsvps_of(event).get(member.id)


def prefer(member: Member, kind: str, delivery: Delivery) -> None:
    """Store a member's delivery choice for one kind, as the settings page would."""
    db.session.merge(NotificationPreference(member_id=member.id, kind=kind, delivery=delivery))
    db.session.commit()
