"""The events list (upcoming and past), each event's page, group pages' next events, times in the reader's zone,
members-only groups' events kept to their members, and the export and deletion of a member's replies."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app.models import GroupVisibility, Role, RsvpStatus
from app.services.events.places import rsvp
from tests.events.conftest import fresh, rsvps_of
from tests.factories import PASSWORD, make_event, make_group, make_member
from tests.support import browser, page_text


def test_upcoming_and_past_tabs(app: Flask) -> None:
    """Upcoming events soonest first on /events; past ones on ?when=past."""
    later = make_event(title="Later meeting", starts_in=timedelta(days=9))
    sooner = make_event(title="Sooner webinar", starts_in=timedelta(days=2))
    make_event(title="Last month", starts_in=-timedelta(days=30))
    upcoming = page_text(browser(app).get("/events"))
    assert upcoming.index(sooner.title) < upcoming.index(later.title) and "Last month" not in upcoming
    past = page_text(browser(app).get("/events?when=past"))
    assert "Last month" in past and sooner.title not in past


def test_the_site_navigation_links_to_events(app: Flask) -> None:
    assert 'href="/events"' in browser(app).get("/").get_data(as_text=True)


def test_times_in_the_readers_zone_with_the_events_zone_noted(app: Flask) -> None:
    """A New York member sees 13:30 (EDT) for an event at 18:30 London time, with London's time noted; a visitor
    sees UTC; a London reader sees no second time."""
    starts = datetime(2031, 7, 14, 17, 30, tzinfo=UTC)
    event = make_event(starts_at=starts, ends_at=starts + timedelta(hours=1), timezone="Europe/London")
    new_york = page_text(browser(app, make_member(timezone="America/New_York")).get(f"/events/{event.id}"))
    assert "Mon 14 Jul 2031, 13:30–14:30" in new_york
    assert "18:30–19:30" in new_york and "in the event’s time zone (Europe/London)" in new_york
    visitor = page_text(browser(app).get(f"/events/{event.id}"))
    assert "17:30–18:30 UTC" in visitor
    london = page_text(browser(app, make_member(timezone="Europe/London")).get(f"/events/{event.id}"))
    assert "18:30–19:30" in london and "event’s time zone" not in london


def test_event_page_shows_host_place_places_and_calendar_link(app: Flask) -> None:
    event = make_event(capacity=10, title="Heart rehab Q&A")
    text = page_text(browser(app).get(f"/events/{event.id}"))
    assert "Dr. Lee, cardiac rehab nurse" in text and "Community room, main hospital" in text
    assert "10 places left" in text and "Add to calendar" in text


def test_group_page_shows_its_next_events(app: Flask) -> None:
    group = make_group()
    make_event(title="Group meeting", group=group)
    make_event(title="Cancelled one", group=group, cancelled_at=datetime.now(UTC))
    text = page_text(browser(app).get(f"/g/{group.slug}"))
    assert "Next events in this group" in text and "Group meeting" in text and "Cancelled one" not in text


@pytest.mark.parametrize(
    ("who", "sees"),
    [("visitor", False), ("other member", False), ("group member", True), ("staff", True)],
)
def test_members_only_groups_events_are_for_its_members(app: Flask, who: str, sees: bool) -> None:
    """A members-only group's event is listed, opened and answered only for its members (and staff); everyone
    else gets 404 on the page and no trace in the lists."""
    joined = make_member()
    group = make_group(members=(joined,), visibility=GroupVisibility.MEMBERS)
    event = make_event(title="Private circle meeting", group=group)
    viewer = {"visitor": None, "other member": make_member(), "group member": joined,
              "staff": make_member(role=Role.STAFF)}[who]  # fmt: skip
    client = browser(app, viewer)
    assert ("Private circle meeting" in page_text(client.get("/events"))) is sees
    assert client.get(f"/events/{event.id}").status_code == (200 if sees else 404)
    if viewer is not None and not sees:
        assert client.post_form(f"/events/{event.id}/rsvp").status_code == 404
        assert rsvps_of(event) == {}


def test_export_includes_the_members_replies(app: Flask) -> None:
    member = make_member()
    event = make_event(title="Exported meeting")
    rsvp(member, event)
    response = browser(app, member).post_form("/account/export")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        data = json.loads(archive.read("kindred-export.json"))
    assert [(r["event_id"], r["title"], r["status"]) for r in data["event_replies"]] == [
        (event.id, "Exported meeting", "going")
    ]


def test_deleting_an_account_removes_its_replies_and_frees_the_place(app: Flask) -> None:
    """Deletion removes the member's replies; their place goes to the first waiting member."""
    from app.services.members.erasure import delete_account

    event = make_event(capacity=1)
    leaving, waiting = make_member(), make_member()
    rsvp(leaving, event)
    rsvp(waiting, fresh(event))
    delete_account(leaving, leaving, password=PASSWORD, remove_posts=False)
    assert rsvps_of(event) == {waiting.id: RsvpStatus.GOING}
    assert fresh(event).going_count == 1
