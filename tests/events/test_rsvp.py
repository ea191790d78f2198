"""Members reply to events: going while places last, then the waiting list, moving up when a place frees (and told);
two members taking the last place at the same moment: one gets it, the other waits."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import Flask

from app.models import Delivery, Event, MemberStatus, RsvpStatus
from app.models.base import utcnow
from tests.events.conftest import fresh, prefer, rsvps_of, status_of
from tests.factories import make_event, make_member
from tests.served import served
from tests.support import browser, notifications_of, outbox, page_text


def going(client, event: Event):  # noqa: ANN001, ANN201
    return client.post_form(f"/events/{event.id}/rsvp")


def test_a_member_goes_and_takes_a_place(app: Flask) -> None:
    """ "I'm going" records the reply, counts the place, and the page says so."""
    event = make_event(capacity=3)
    member = make_member()
    client = browser(app, member)
    assert going(client, event).status_code == 302
    assert status_of(member, event) == RsvpStatus.GOING
    assert fresh(event).going_count == 1
    text = page_text(client.get(f"/events/{event.id}"))
    assert "You are going." in text and "2 places left" in text


def test_when_full_members_join_the_waiting_list_in_order(app: Flask) -> None:
    """Once the places are taken, members wait, and each sees their position."""
    event = make_event(capacity=1)
    first, second, third = make_member(), make_member(), make_member()
    for member in (first, second, third):
        going(browser(app, member), event)
    assert rsvps_of(event) == {first.id: RsvpStatus.GOING, second.id: RsvpStatus.WAITING, third.id: RsvpStatus.WAITING}
    assert fresh(event).going_count == 1
    assert "number 2 on the waiting list" in page_text(browser(app, third).get(f"/events/{event.id}"))


def test_a_freed_place_goes_to_the_first_waiting_who_is_told(app: Flask) -> None:
    """When someone going says "not going any more", the first on the waiting list moves up, and is notified
    (and e-mailed, having chosen e-mail for events)."""
    event = make_event(capacity=1, title="Rehab Q&A")
    holder, first, second = make_member(), make_member(), make_member()
    prefer(first, "event", Delivery.EMAIL)
    for member in (holder, first, second):
        going(browser(app, member), event)
    assert browser(app, holder).post_form(f"/events/{event.id}/leave").status_code == 302
    assert rsvps_of(event) == {first.id: RsvpStatus.GOING, second.id: RsvpStatus.WAITING}
    assert fresh(event).going_count == 1
    told = notifications_of(first, "event_place")
    assert len(told) == 1 and "Rehab Q&A" in told[0].message
    assert len(outbox(first.email)) == 1
    assert notifications_of(second, "event_place") == []


def test_leaving_the_waiting_list_frees_no_place(app: Flask) -> None:
    """A waiting member who leaves changes no count and moves nobody."""
    event = make_event(capacity=1)
    holder, waiting = make_member(), make_member()
    going(browser(app, holder), event)
    going(browser(app, waiting), event)
    browser(app, waiting).post_form(f"/events/{event.id}/leave")
    assert rsvps_of(event) == {holder.id: RsvpStatus.GOING}
    assert fresh(event).going_count == 1


def test_more_places_move_the_waiting_list_up(app: Flask) -> None:
    """Staff raising the capacity lets waiting members in, in order."""
    from app.services.events.schedule import EventInput, update_event
    from app.services.events.schedule import utc_to_local as local

    event = make_event(capacity=1)
    members = [make_member() for _ in range(3)]
    for member in members:
        going(browser(app, member), event)
    staff = make_member(role="staff")
    event = fresh(event)
    data = EventInput(
        title=event.title, kind="qa", host=event.host, starts_at=local(event.starts_at, event.timezone),
        ends_at=local(event.ends_at, event.timezone), timezone=event.timezone, location=event.location, capacity="2",
    )  # fmt: skip
    update_event(staff, event, data)
    assert rsvps_of(event) == {
        members[0].id: RsvpStatus.GOING, members[1].id: RsvpStatus.GOING, members[2].id: RsvpStatus.WAITING,
    }  # fmt: skip


@pytest.mark.parametrize("state", ["cancelled", "started", "past"])
def test_cancelled_and_past_events_refuse_replies(app: Flask, state: str) -> None:
    """A cancelled, started or past event takes no reply: 403 and nothing stored."""
    event = {
        "cancelled": lambda: make_event(cancelled_at=utcnow()),
        "started": lambda: make_event(starts_in=-timedelta(minutes=5)),
        "past": lambda: make_event(starts_in=-timedelta(days=2)),
    }[state]()
    assert going(browser(app, make_member()), event).status_code == 403
    assert rsvps_of(event) == {}


def test_suspended_members_cannot_reply(app: Flask) -> None:
    event = make_event()
    member = make_member(status=MemberStatus.SUSPENDED, suspension_reason="Testing")
    assert going(browser(app, member), event).status_code == 403
    assert rsvps_of(event) == {}


def test_visitors_are_asked_to_sign_in(app: Flask) -> None:
    """A visitor's reply goes to the sign-in page; the event page offers the way."""
    event = make_event()
    response = browser(app).post_form(f"/events/{event.id}/rsvp")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert "Sign in to reply" in page_text(browser(app).get(f"/events/{event.id}"))


@pytest.mark.parametrize(
    ("starts_in", "is_going", "shown"),
    [
        (timedelta(minutes=50), True, True),
        (timedelta(hours=3), True, False),
        (timedelta(minutes=50), False, False),
    ],
)
def test_online_link_only_for_those_going_from_an_hour_before(
    app: Flask, starts_in: timedelta, is_going: bool, shown: bool
) -> None:
    """The online link is in the page only for a member who is going, and only from an hour before the start."""
    event = make_event(starts_in=starts_in, online_url="https://meet.example.org/secret-room")
    member = make_member()
    client = browser(app, member)
    if is_going:
        going(client, event)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert ("https://meet.example.org/secret-room" in html) is shown
    assert "secret-room" not in browser(app).get(f"/events/{event.id}").get_data(as_text=True)


def test_two_members_taking_the_last_place_at_once(app: Flask) -> None:
    """Two members pressing "I'm going" for the last place at the same moment: one gets it, the other waits, the
    count never passes the capacity, and no request fails."""
    for _ in range(3):
        event = make_event(capacity=1)
        members = [make_member(), make_member()]
        with served(app) as server:
            statuses = server.post_from_each_at_once([browser(app, m) for m in members], f"/events/{event.id}/rsvp")
        assert server.errors == [] and statuses == [302, 302]
        assert sorted(rsvps_of(event).values()) == [RsvpStatus.GOING, RsvpStatus.WAITING]
        assert fresh(event).going_count == 1


def test_many_members_for_few_places_at_once(app: Flask) -> None:
    """Six members at once for two places: exactly two go, four wait."""
    event = make_event(capacity=2)
    members = [make_member() for _ in range(6)]
    with served(app) as server:
        statuses = server.post_from_each_at_once([browser(app, m) for m in members], f"/events/{event.id}/rsvp")
    assert server.errors == [] and all(status == 302 for status in statuses)
    values = list(rsvps_of(event).values())
    assert values.count(RsvpStatus.GOING) == 2 and values.count(RsvpStatus.WAITING) == 4
    assert fresh(event).going_count == 2


def test_double_click_records_one_reply(app: Flask) -> None:
    """The same member's reply sent several times at once stores one reply and counts one place."""
    event = make_event(capacity=5)
    member = make_member()
    with served(app) as server:
        statuses = server.post_at_once(browser(app, member), [f"/events/{event.id}/rsvp"] * 4)
    assert server.errors == [] and all(status == 302 for status in statuses)
    assert rsvps_of(event) == {member.id: RsvpStatus.GOING}
    assert fresh(event).going_count == 1


def test_leaving_and_a_new_reply_at_once_never_overfill(app: Flask) -> None:
    """One member leaving while another replies to a full event: the place goes to exactly one member."""
    event = make_event(capacity=1)
    holder, waiting, newcomer = make_member(), make_member(), make_member()
    going(browser(app, holder), event)
    going(browser(app, waiting), event)
    holder_client, newcomer_client = browser(app, holder), browser(app, newcomer)
    with served(app) as server:
        threads = [
            threading.Thread(target=server.post_at_once, args=(holder_client, [f"/events/{event.id}/leave"])),
            threading.Thread(target=server.post_at_once, args=(newcomer_client, [f"/events/{event.id}/rsvp"])),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert server.errors == []
    assert fresh(event).going_count == 1
    assert rsvps_of(event)[waiting.id] == RsvpStatus.GOING  # the first in line, not the newcomer
    assert rsvps_of(event)[newcomer.id] == RsvpStatus.WAITING
