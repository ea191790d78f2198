"""Event reminders 24 hours and 1 hour before the start: a notification, and an e-mail through the outbox for a
member who chose e-mail; never twice, none after the member left, none for a cancelled event, and exactly 24 real
hours before the start across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.models import Delivery, Event, Member
from app.models.base import utcnow
from app.services.events.places import leave, rsvp
from app.services.events.reminders import send_event_reminders
from app.services.events.schedule import local_to_utc
from tests.events.conftest import fresh, prefer
from tests.factories import make_event, make_member
from tests.support import notifications_of, outbox


def reminders(member: Member) -> list[str]:
    return [n.message for n in notifications_of(member, "event_reminder")]


def going_member(event: Event, *, email: bool = False) -> Member:
    member = make_member()
    if email:
        prefer(member, "event", Delivery.EMAIL)
    rsvp(member, fresh(event))
    return member


def test_the_24_hour_reminder_once_then_the_1_hour_one(app: Flask) -> None:
    """A day before: one reminder, by notification and e-mail; running again sends nothing; an hour before: the
    second one."""
    event = make_event(title="Rehab Q&A", starts_in=timedelta(days=3))
    member = going_member(event, email=True)
    start = fresh(event).starts_at
    assert send_event_reminders(start - timedelta(hours=24, minutes=1)) == 0
    assert send_event_reminders(start - timedelta(hours=24)) == 1
    assert send_event_reminders(start - timedelta(hours=23)) == 0
    assert reminders(member) == ['Reminder: "Rehab Q&A" starts in 24 hours.']
    assert len(outbox(member.email)) == 1
    assert send_event_reminders(start - timedelta(minutes=59)) == 1
    assert send_event_reminders(start - timedelta(minutes=30)) == 0
    assert len(reminders(member)) == 2 and len(outbox(member.email)) == 2


def test_in_app_members_get_no_email(app: Flask) -> None:
    """A member who kept the default (in-app) gets the notification only."""
    event = make_event()
    member = going_member(event)
    send_event_reminders(fresh(event).starts_at - timedelta(hours=1))
    assert len(reminders(member)) == 1 and outbox(member.email) == []


def test_no_reminder_after_the_member_left(app: Flask) -> None:
    event = make_event()
    member = going_member(event)
    leave(member, fresh(event))
    assert send_event_reminders(fresh(event).starts_at - timedelta(hours=1)) == 0
    assert reminders(member) == []


def test_no_reminder_for_a_cancelled_event(app: Flask) -> None:
    event = make_event()
    member = going_member(event)
    row = fresh(event)
    row.cancelled_at = utcnow()
    db.session.commit()
    assert send_event_reminders(row.starts_at - timedelta(hours=1)) == 0
    assert reminders(member) == []


def test_waiting_members_are_not_reminded(app: Flask) -> None:
    event = make_event(capacity=1)
    going_member(event)
    waiting = going_member(event)
    send_event_reminders(fresh(event).starts_at - timedelta(hours=1))
    assert reminders(waiting) == []


def test_a_late_reply_gets_only_the_one_hour_reminder(app: Flask) -> None:
    """Replying 5 hours before: no "24 hours" reminder (it would be wrong), the 1-hour one in time."""
    event = make_event(starts_in=timedelta(hours=5))
    member = going_member(event)
    start = fresh(event).starts_at
    assert send_event_reminders(utcnow()) == 0
    assert send_event_reminders(start - timedelta(hours=1)) == 1
    assert reminders(member) == [f'Reminder: "{event.title}" starts in an hour.']


def test_the_day_after_the_clocks_go_back_in_london(app: Flask) -> None:
    """An event at 09:00 London time on Monday 27 October 2031, the day after the clocks go back (26 October):
    09:00 GMT is 09:00 UTC, so the 24-hour reminder is due at 09:00 UTC on Sunday (10:00 BST was an hour earlier
    by the wall clock, not 24 real hours)."""
    starts = local_to_utc("2031-10-27T09:00", "Europe/London", "starts_at")
    assert starts == datetime(2031, 10, 27, 9, 0, tzinfo=UTC)
    event = make_event(starts_at=starts, ends_at=starts + timedelta(hours=1))
    member = going_member(event)
    sunday_8_59_utc = datetime(2031, 10, 26, 8, 59, tzinfo=UTC)
    assert send_event_reminders(sunday_8_59_utc) == 0
    assert send_event_reminders(datetime(2031, 10, 26, 9, 0, tzinfo=UTC)) == 1
    assert send_event_reminders(datetime(2031, 10, 27, 7, 59, tzinfo=UTC)) == 0
    assert send_event_reminders(datetime(2031, 10, 27, 8, 0, tzinfo=UTC)) == 1
    assert len(reminders(member)) == 2


def test_an_event_across_the_change(app: Flask) -> None:
    """An event from 00:30 BST to 02:30 GMT on 26 October 2031 lasts three real hours; its reminders are 24 and 1
    real hours before 23:30 UTC the evening before."""
    starts = local_to_utc("2031-10-26T00:30", "Europe/London", "starts_at")
    ends = local_to_utc("2031-10-26T02:30", "Europe/London", "ends_at")
    assert starts == datetime(2031, 10, 25, 23, 30, tzinfo=UTC)
    assert ends - starts == timedelta(hours=3)
    event = make_event(starts_at=starts, ends_at=ends)
    member = going_member(event)
    assert send_event_reminders(datetime(2031, 10, 24, 23, 29, tzinfo=UTC)) == 0
    assert send_event_reminders(datetime(2031, 10, 24, 23, 30, tzinfo=UTC)) == 1
    assert send_event_reminders(datetime(2031, 10, 25, 22, 30, tzinfo=UTC)) == 1
    assert len(reminders(member)) == 2


def test_the_spring_gap_is_refused(app: Flask) -> None:
    """01:30 on 30 March 2031 never happens in London (the clocks jump from 01:00 to 02:00)."""
    from app.services import ServiceError

    with pytest.raises(ServiceError, match="does not exist"):
        local_to_utc("2031-03-30T01:30", "Europe/London", "starts_at")


def test_send_reminders_command_and_worker_send_event_reminders(app: Flask, runner) -> None:  # noqa: ANN001
    """`flask send-reminders` (the job the send-mail worker runs too) sends due event reminders, once."""
    event = make_event(starts_in=timedelta(minutes=30))
    member = make_member()
    rsvp(member, fresh(event))
    # A reply within the hour has just seen the event: mark it as not yet reminded to test the command.
    from app.models import EventRsvp

    db.session.query(EventRsvp).update({"reminded_1h_at": None})
    db.session.commit()
    assert runner.invoke(args=["send-reminders"]).output == "Sent 1 reminder.\n"
    assert runner.invoke(args=["send-reminders"]).output == "Sent 0 reminders.\n"
    assert len(reminders(member)) == 1
    result = runner.invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0
