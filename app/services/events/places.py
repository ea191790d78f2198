"""Places at an event: going, the waiting list, and moving up when a place frees.

`events.going_count` is the number of places taken. It only ever grows through one guarded UPDATE ("capacity not
reached yet"), so of two members taking the last place at the same moment one matches the row and the other does
not, on SQLite (one writer at a time) and PostgreSQL (the row lock makes the second UPDATE re-read the count)
alike; the one who did not is put on the waiting list in the same transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext
from sqlalchemy import delete, or_, select, update

from app import permissions
from app.database.dml import insert_once, rows_matched
from app.extensions import db
from app.models import Event, EventRsvp, Member, RsvpStatus
from app.models.base import utcnow
from app.services.common.audit import notify

PROMOTED_KIND = "event_place"


def _take_place(event_id: int, now: datetime) -> bool:
    """Take one place if there is one (not cancelled, not started, capacity not reached): the guarded UPDATE."""
    statement = (
        update(Event)
        .where(
            Event.id == event_id,
            Event.cancelled_at.is_(None),
            Event.starts_at > now,
            or_(Event.capacity.is_(None), Event.going_count < Event.capacity),
        )
        .values(going_count=Event.going_count + 1)
    )
    return rows_matched(statement) == 1


def _give_back_place(event_id: int) -> None:
    rows_matched(
        update(Event).where(Event.id == event_id, Event.going_count > 0).values(going_count=Event.going_count - 1)
    )


def _reminders_already_due(starts_at: datetime, now: datetime) -> dict[str, datetime]:
    """A member replying within a reminder's lead time has just seen the event: that reminder is not sent."""
    values = {}
    if starts_at - now <= timedelta(hours=24):
        values["reminded_24h_at"] = now
    if starts_at - now <= timedelta(hours=1):
        values["reminded_1h_at"] = now
    return values


def my_rsvp(member: Member | None, event: Event) -> EventRsvp | None:
    if not isinstance(member, Member):
        return None
    return db.session.scalar(select(EventRsvp).where(EventRsvp.event_id == event.id, EventRsvp.member_id == member.id))


def waiting_position(rsvp: EventRsvp) -> int:
    """1 for the first on the waiting list."""
    ahead = select(EventRsvp.id).where(
        EventRsvp.event_id == rsvp.event_id,
        EventRsvp.status == RsvpStatus.WAITING,
        or_(
            EventRsvp.created_at < rsvp.created_at,
            (EventRsvp.created_at == rsvp.created_at) & (EventRsvp.id < rsvp.id),
        ),
    )
    return len(db.session.scalars(ahead).all()) + 1


def rsvp(member: Member, event: Event) -> RsvpStatus:
    """Going if a place is free, otherwise on the waiting list; replying twice (two tabs) changes nothing."""
    permissions.ensure(member, "rsvp_event", event)
    existing = my_rsvp(member, event)
    if existing is not None:
        return existing.status
    now = utcnow()
    took = _take_place(event.id, now)
    status = RsvpStatus.GOING if took else RsvpStatus.WAITING
    values = _reminders_already_due(event.starts_at, now)
    if not insert_once(EventRsvp, event_id=event.id, member_id=member.id, status=status, created_at=now, **values):
        db.session.rollback()  # the other tab's reply stands; give back the place this one took
        existing = my_rsvp(member, event)
        return existing.status if existing is not None else status
    if not took:
        # A place may have freed between the full count and this row: whoever is first in line takes it now.
        fill_places(event.id, now)
    db.session.commit()
    db.session.expire_all()
    mine = my_rsvp(member, event)
    return mine.status if mine is not None else status


def leave(member: Member, event: Event) -> bool:
    """Not going any more (or off the waiting list); a freed place goes to the first waiting. False: no reply."""
    permissions.ensure(member, "leave_event", event)
    existing = my_rsvp(member, event)
    if existing is None:
        return False
    gone = delete(EventRsvp).where(EventRsvp.id == existing.id, EventRsvp.status == existing.status)
    if not rows_matched(gone):
        db.session.rollback()  # the same click from another tab already took it back
        return False
    if existing.status == RsvpStatus.GOING:
        _give_back_place(event.id)
        fill_places(event.id)
    db.session.commit()
    return True


def release_member(member_id: int) -> None:
    """An account being deleted: its places go to the waiting lists, as if the member said "not going any more"
    (caller commits)."""
    rows = db.session.execute(
        select(EventRsvp.id, EventRsvp.event_id, EventRsvp.status).where(EventRsvp.member_id == member_id)
    ).all()
    for row in rows:
        if rows_matched(delete(EventRsvp).where(EventRsvp.id == row.id)) and row.status == RsvpStatus.GOING:
            _give_back_place(row.event_id)
            fill_places(row.event_id)


def _first_waiting(event_id: int) -> EventRsvp | None:
    query = (
        select(EventRsvp)
        .where(EventRsvp.event_id == event_id, EventRsvp.status == RsvpStatus.WAITING)
        .order_by(EventRsvp.created_at, EventRsvp.id)
        .limit(1)
    )
    return db.session.scalar(query)


def fill_places(event_id: int, now: datetime | None = None) -> list[int]:
    """Move the waiting list up into every free place, telling each member; the ids moved up (caller commits).

    Each move takes a place by the guarded UPDATE first, then claims the waiting row by a conditional UPDATE, so a
    place is never given twice and a member who left meanwhile is skipped."""
    now = now or utcnow()
    moved: list[int] = []
    while _take_place(event_id, now):
        first = _first_waiting(event_id)
        if first is None:
            _give_back_place(event_id)
            break
        event = db.session.get(Event, event_id)
        assert event is not None
        values = {"status": RsvpStatus.GOING, "promoted_at": now, **_reminders_already_due(event.starts_at, now)}
        claimed = update(EventRsvp).where(EventRsvp.id == first.id, EventRsvp.status == RsvpStatus.WAITING)
        if not rows_matched(claimed.values(**values)):
            _give_back_place(event_id)
            db.session.expire(first)
            continue
        moved.append(first.member_id)
        message = lazy_gettext('A place opened up: you are now going to "%(title)s".', title=event.title)
        notify(first.member_id, PROMOTED_KIND, message, f"/events/{event_id}")
    return moved
