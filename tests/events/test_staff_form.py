"""Staff create, edit and cancel events at /staff/events: every bad input gets its message beside its field, with
status 422 and nothing stored; times typed in the event's zone are stored as the right UTC moments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Event, Role
from tests.events.conftest import fresh
from tests.factories import make_event, make_group, make_member
from tests.support import browser, notifications_of, soup

GOOD = {
    "title": "Ask a cardiac rehab nurse",
    "description": "Bring your **questions** about exercise after surgery.",
    "kind": "qa",
    "host": "Dr. Lee, cardiac rehab nurse",
    "starts_at": "2031-03-14T18:30",
    "ends_at": "2031-03-14T19:30",
    "timezone": "Europe/London",
    "location": "",
    "online_url": "https://meet.example.org/rehab",
    "capacity": "20",
    "group": "",
}


@pytest.fixture
def staff(app: Flask):  # noqa: ANN201
    return browser(app, make_member(role=Role.STAFF, timezone="America/New_York"))


def count_events() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Event)) or 0


def field_error(response, name: str) -> str:  # noqa: ANN001
    """The message shown beside the field named `name`."""
    page = soup(response)
    control = page.find(attrs={"name": name})
    assert control is not None, name
    error = page.find(id=f"{control['id']}-error")
    return error.get_text(" ", strip=True) if error else ""


def test_staff_create_an_event_stored_in_utc(app: Flask, staff) -> None:  # noqa: ANN001
    """A good form publishes the event: times typed in Europe/London are stored as UTC, the description cooked."""
    response = staff.post_form("/staff/events/new", {**GOOD, "questions": "y"})
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert response.location == f"/events/{event.id}"
    assert event.starts_at == datetime(2031, 3, 14, 18, 30, tzinfo=UTC)  # GMT in March before the change
    assert event.ends_at == datetime(2031, 3, 14, 19, 30, tzinfo=UTC)
    assert event.capacity == 20 and event.questions and event.timezone == "Europe/London"
    assert "<strong>questions</strong>" in event.description_html
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_type == "event")) == "create_event"


def test_summer_time_is_converted_with_the_zones_offset(app: Flask, staff) -> None:  # noqa: ANN001
    """18:30 in London in July is 17:30 UTC (British Summer Time)."""
    staff.post_form("/staff/events/new", {**GOOD, "starts_at": "2031-07-14T18:30", "ends_at": "2031-07-14T19:30"})
    assert db.session.scalars(select(Event)).one().starts_at == datetime(2031, 7, 14, 17, 30, tzinfo=UTC)


def test_the_form_defaults_to_the_staff_members_zone(app: Flask, staff) -> None:  # noqa: ANN001
    """The time-zone select starts on the staff member's own zone, and offers IANA names."""
    page = soup(staff.get("/staff/events/new"))
    select_box = page.find("select", attrs={"name": "timezone"})
    assert select_box.find("option", selected=True)["value"] == "America/New_York"
    assert page.find("input", attrs={"name": "starts_at"})["type"] == "datetime-local"


BAD = {
    "end before start": ({"ends_at": "2031-03-14T18:00"}, "ends_at", "The end must be after the start."),
    "end equals start": ({"ends_at": "2031-03-14T18:30"}, "ends_at", "The end must be after the start."),
    "dst gap": (
        {"starts_at": "2031-03-30T01:30", "ends_at": "2031-03-30T03:30"},
        "starts_at",
        "This time does not exist in Europe/London",
    ),
    "unknown zone": ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Choose a time zone from the list"),
    "capacity zero": ({"capacity": "0"}, "capacity", "at least one place"),
    "capacity negative": ({"capacity": "-3"}, "capacity", "whole number"),
    "capacity words": ({"capacity": "twenty"}, "capacity", "whole number"),
    "not a time": ({"starts_at": "next tuesday"}, "starts_at", "Give a date and time"),
    "javascript link": ({"online_url": "javascript:alert(1)"}, "online_url", "http:// or https://"),
    "ftp link": ({"online_url": "ftp://files.example.org/"}, "online_url", "http:// or https://"),
    "no title": ({"title": "   "}, "title", "Please give the event a title."),
    "no kind": ({"kind": "party"}, "kind", "Choose what kind of event"),
    "no host": ({"host": ""}, "host", "Say who hosts the event"),
    "no place": ({"online_url": "", "location": ""}, "location", "Give a place, an online link, or both."),
    "unknown group": ({"group": "99999"}, "group", "Choose a group from the list"),
    "in the past": ({"starts_at": "2020-01-01T10:00", "ends_at": "2020-01-01T11:00"}, "starts_at", "future"),
    "too long": ({"ends_at": "2031-04-30T19:30"}, "ends_at", "at most 14 days"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_refused_beside_its_field(app: Flask, staff, case: str) -> None:  # noqa: ANN001
    """Each bad value answers 422 with its message next to its field, and stores nothing."""
    changes, name, message = BAD[case]
    response = staff.post_form("/staff/events/new", {**GOOD, **changes})
    assert response.status_code == 422
    assert message in field_error(response, name)
    assert count_events() == 0


def test_all_problems_are_shown_at_once(app: Flask, staff) -> None:  # noqa: ANN001
    """Several bad fields are all reported together."""
    bad = {"title": "", "capacity": "0", "ends_at": "2031-03-14T10:00"}
    response = staff.post_form("/staff/events/new", {**GOOD, **bad})
    assert response.status_code == 422
    assert field_error(response, "title") and field_error(response, "capacity") and field_error(response, "ends_at")
    assert "3 things need changing" in response.get_data(as_text=True)


def test_edit_raises_the_sequence_and_is_audited(app: Flask, staff) -> None:  # noqa: ANN001
    """Editing an event changes it, raises its calendar SEQUENCE and writes the audit log."""
    event = make_event(title="Old title")
    response = staff.get(f"/staff/events/{event.id}/edit")
    assert soup(response).find("input", attrs={"name": "title"})["value"] == "Old title"
    data = {**GOOD, "group": str(make_group().id)}
    assert staff.post_form(f"/staff/events/{event.id}/edit", data).status_code == 302
    event = fresh(event)
    assert event.title == GOOD["title"] and event.sequence == 1 and event.group_id is not None
    assert "edit_event" in db.session.scalars(select(AuditEvent.action)).all()


def test_editing_a_past_event_is_allowed(app: Flask, staff) -> None:  # noqa: ANN001
    """Only new events must start in the future: staff may still correct a past one."""
    event = make_event()
    data = {**GOOD, "starts_at": "2021-03-14T18:30", "ends_at": "2021-03-14T19:30"}
    assert staff.post_form(f"/staff/events/{event.id}/edit", data).status_code == 302


def test_cancel_asks_first_then_tells_everyone_going_or_waiting(app: Flask, staff) -> None:  # noqa: ANN001
    """The cancel page asks for confirmation; its POST cancels, tells the members going and waiting, and is
    audited; the event stays listed as cancelled."""
    from app.services.events.places import rsvp

    event = make_event(capacity=1)
    going, waiting = make_member(), make_member()
    rsvp(going, event)
    rsvp(waiting, fresh(event))
    page = staff.get(f"/staff/events/{event.id}/cancel")
    assert page.status_code == 200 and "This cannot be undone." in page.get_data(as_text=True)
    assert fresh(event).cancelled_at is None
    assert staff.post_form(f"/staff/events/{event.id}/cancel").status_code == 302
    event = fresh(event)
    assert event.cancelled_at is not None and event.sequence == 1
    for member in (going, waiting):
        assert [n.kind for n in notifications_of(member)][-1] == "event_cancelled"
    assert "cancel_event" in db.session.scalars(select(AuditEvent.action)).all()
    assert "Cancelled" in browser(app).get("/events").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_only_staff_run_events(app: Flask, role: Role) -> None:
    """Members and moderators are refused the staff pages and their POSTs, and nothing is stored."""
    client = browser(app, make_member(role=role))
    assert client.get("/staff/events").status_code == 403
    assert client.post_form("/staff/events/new", GOOD).status_code == 403
    assert count_events() == 0
