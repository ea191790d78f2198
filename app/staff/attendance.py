"""The dashboard's attendance figures: events held in the period, and members going and waiting per event, counted
by one aggregate query (no replies are loaded into Python to be counted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from app.extensions import db
from app.models import Event, EventRsvp, RsvpStatus
from app.staff.figures import Period

EVENTS_LISTED = 20


@dataclass(frozen=True)
class EventAttendance:
    event_id: int
    title: str
    starts_at: datetime
    capacity: int | None
    going: int
    waiting: int
    cancelled: bool


@dataclass(frozen=True)
class Attendance:
    held: int  # events that started in the period and were not cancelled
    going: int  # members who were going to them
    waiting: int  # members still waiting for a place when they started
    events: list[EventAttendance]  # every event starting in the period (cancelled ones marked), latest first


def attendance(period: Period) -> Attendance:
    going = func.count(case((EventRsvp.status == RsvpStatus.GOING, 1))).label("going")
    waiting = func.count(case((EventRsvp.status == RsvpStatus.WAITING, 1))).label("waiting")
    query = (
        select(Event.id, Event.title, Event.starts_at, Event.capacity, Event.cancelled_at, going, waiting)
        .outerjoin(EventRsvp, EventRsvp.event_id == Event.id)
        .where(Event.starts_at >= period.start, Event.starts_at <= period.now)
        .group_by(Event.id, Event.title, Event.starts_at, Event.capacity, Event.cancelled_at)
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    rows = [
        EventAttendance(
            row.id, row.title, row.starts_at, row.capacity, row.going, row.waiting, row.cancelled_at is not None
        )
        for row in db.session.execute(query)
    ]
    held = [row for row in rows if not row.cancelled]
    return Attendance(len(held), sum(r.going for r in held), sum(r.waiting for r in held), rows[:EVENTS_LISTED])
