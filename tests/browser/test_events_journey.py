"""A member's events journey in Chromium, on a phone (390 px) and at desktop width: they find an event from the
site navigation, reply "I'm going", see it confirmed, and add it to their calendar (the .ics download parses with
icalendar); the events list and the event page are axe clean and need no horizontal scrolling."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import icalendar
from playwright.sync_api import Page, expect

from app.models.base import utcnow
from app.services.events.schedule import EventInput, create_event, utc_to_local
from tests.browser import world
from tests.browser.pages import nav_link, sign_in
from tests.browser.test_accessibility import serious_violations

ZONE = "Europe/London"


def an_event(title: str) -> int:
    """An upcoming Q&A with three places, created through the staff service."""
    starts = utcnow().replace(second=0, microsecond=0) + timedelta(days=4)
    ends = starts + timedelta(hours=1)
    data = EventInput(
        title=title, description="Bring your **questions**.", kind="qa", host="Dr. Lee, cardiac rehab nurse",
        starts_at=utc_to_local(starts, ZONE), ends_at=utc_to_local(ends, ZONE), timezone=ZONE,
        location="Community room", capacity="3",
    )  # fmt: skip
    return create_event(world.staff(), data).id


def fits_width(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_member_finds_an_event_replies_and_adds_it_to_a_calendar(new_page, width: str, artifacts) -> None:  # noqa: ANN001
    title = world.unique("Ask a rehab nurse")
    event_id = an_event(title)
    member = world.member()
    page: Page = new_page(width, accept_downloads=True)
    sign_in(page, member)
    nav_link(page, "Events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    assert serious_violations(page) == []
    assert fits_width(page)
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_text("3 places left")).to_be_visible()
    page.get_by_role("button", name="I’m going").click()
    expect(page.get_by_text("You are going.", exact=True)).to_be_visible()
    expect(page.get_by_text("2 places left")).to_be_visible()
    assert serious_violations(page) == []
    assert fits_width(page)
    page.screenshot(path=artifacts / "going.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics file)").click()
    download = download_info.value
    assert download.suggested_filename == f"event-{event_id}.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    entry = next(iter(calendar.walk("VEVENT")))
    assert str(entry["SUMMARY"]) == title and entry["DTSTART"].params["TZID"] == "Europe/London"
    page.get_by_role("button", name="Not going any more").click()
    expect(page.get_by_role("button", name="I’m going")).to_be_visible()
