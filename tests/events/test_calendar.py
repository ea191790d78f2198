"""Calendar files: every event's .ics and each member's private feed parse with icalendar and carry RFC 5545's
essentials (VERSION, PRODID, UID, DTSTAMP, DTSTART with TZID and its VTIMEZONE, CRLF line ends, folded lines); a
cancelled event stays in the feed as CANCELLED; the feed token is refused when wrong or reset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar
from flask import Flask

from app.extensions import db
from app.models import GroupVisibility, Role
from app.models.base import utcnow
from app.services.events.places import rsvp
from tests.events.conftest import fresh
from tests.factories import make_event, make_group, make_member
from tests.support import browser, soup


def check_rfc5545(body: bytes) -> icalendar.Calendar:
    """The explicit checks beside icalendar's own parser."""
    text = body.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    lines = text.split("\r\n")[:-1]
    assert "\n" not in "".join(lines), "bare LF line ends"
    assert all(len(line.encode("utf-8")) <= 75 for line in lines), "lines must be folded at 75 octets"
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    for entry in calendar.walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
            assert name in entry, name
        assert entry["DTSTART"].params["TZID"] in {tz["TZID"] for tz in calendar.walk("VTIMEZONE")}
    return calendar


def test_an_events_ics_file(app: Flask) -> None:
    """The .ics of one event: its time in its own zone with TZID and VTIMEZONE, a long description folded."""
    starts = datetime(2031, 7, 14, 17, 30, tzinfo=UTC)
    event = make_event(title="Ask a nurse", starts_at=starts, ends_at=starts + timedelta(hours=1),
                       description="Long text. " * 30)  # fmt: skip
    response = browser(app).get(f"/events/{event.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = check_rfc5545(response.data)
    entry = next(iter(calendar.walk("VEVENT")))
    assert entry["DTSTART"].params["TZID"] == "Europe/London"
    assert entry.decoded("DTSTART") == starts  # 18:30 BST
    assert entry.decoded("DTSTART").hour == 18
    assert str(entry["SUMMARY"]) == "Ask a nurse" and str(entry["STATUS"]) == "CONFIRMED"
    assert str(entry["UID"]).startswith(f"event-{event.id}@")
    assert "\r\n " in response.data.decode()  # the long description was folded


def test_uid_is_stable_and_sequence_grows_with_edits(app: Flask) -> None:
    event = make_event()
    first = next(iter(icalendar.Calendar.from_ical(browser(app).get(f"/events/{event.id}.ics").data).walk("VEVENT")))
    row = fresh(event)
    row.sequence, row.title = 2, "Renamed"
    db.session.commit()
    second = next(iter(icalendar.Calendar.from_ical(browser(app).get(f"/events/{event.id}.ics").data).walk("VEVENT")))
    assert first["UID"] == second["UID"]
    assert int(second["SEQUENCE"]) == 2 > int(first["SEQUENCE"])


def feed_address(client) -> str:  # noqa: ANN001
    """The address shown on the member's calendar page, as a path with its query."""
    address = soup(client.get("/events/calendar")).find(id="feed-address")["value"]
    parts = urlsplit(address)
    return f"{parts.path}?{parts.query}"


def test_the_private_feed_lists_the_events_the_member_is_going_to(app: Flask) -> None:
    """The feed holds the events the member is going to, a cancelled one as CANCELLED, and nothing else."""
    member = make_member()
    kept, cancelled, other = make_event(title="Kept"), make_event(title="Called off"), make_event(title="Not mine")
    rsvp(member, kept)
    rsvp(member, cancelled)
    row = fresh(cancelled)
    row.cancelled_at, row.sequence = utcnow(), 1
    db.session.commit()
    client = browser(app, member)
    address = feed_address(client)
    response = browser(app).get(address)  # a calendar app: no cookies
    assert response.status_code == 200
    calendar = check_rfc5545(response.data)
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert statuses == {"Kept": "CONFIRMED", "Called off": "CANCELLED"}
    assert other.title not in response.get_data(as_text=True)


def test_a_wrong_token_is_refused(app: Flask) -> None:
    member = make_member()
    address = feed_address(browser(app, member))
    token = parse_qs(urlsplit(address).query)["token"][0]
    for bad in ("", "nonsense", token[:-2] + ("AA" if not token.endswith("AA") else "BB")):
        assert browser(app).get("/events/calendar.ics", query_string={"token": bad}).status_code == 404


def test_reset_gives_a_new_address_and_the_old_one_stops_working(app: Flask) -> None:
    member = make_member()
    client = browser(app, member)
    old = feed_address(client)
    assert feed_address(client) == old  # the page shows the same address until reset
    assert client.post_form("/events/calendar/reset").status_code == 302
    new = feed_address(client)
    assert new != old
    assert browser(app).get(old).status_code == 404
    assert browser(app).get(new).status_code == 200


def test_a_members_only_groups_event_leaves_the_feed_with_the_group(app: Flask) -> None:
    """The feed never shows an event its owner may no longer see (they left its members-only group)."""
    member = make_member()
    group = make_group(members=(member,), visibility=GroupVisibility.MEMBERS)
    event = make_event(title="Group only", group=group)
    rsvp(member, event)
    client = browser(app, member)
    address = feed_address(client)
    assert "Group only" in browser(app).get(address).get_data(as_text=True)
    client.post_form(f"/g/{group.slug}/leave")
    assert "Group only" not in browser(app).get(address).get_data(as_text=True)


def test_ics_of_a_members_only_groups_event_is_not_found_for_others(app: Flask) -> None:
    group = make_group(visibility=GroupVisibility.MEMBERS)
    event = make_event(group=group)
    assert browser(app).get(f"/events/{event.id}.ics").status_code == 404
    assert browser(app, make_member()).get(f"/events/{event.id}.ics").status_code == 404
    assert browser(app, make_member(role=Role.STAFF)).get(f"/events/{event.id}.ics").status_code == 200
