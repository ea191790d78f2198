"""Questions in advance in Chromium, at desktop width and on a 390px phone: a member asks on the event page, another
says "I want to know too", the moderators' queue shows a held one; axe finds no serious problem and nothing scrolls
sideways."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Event, EventKind, Role
from app.models.base import utcnow
from app.text.rendering import cook
from tests.browser import world
from tests.browser.pages import sign_in
from tests.browser.test_accessibility import serious_violations


def _event() -> Event:
    starts = utcnow().replace(second=0, microsecond=0) + timedelta(days=2)
    event = Event(
        title=world.unique("Ask the cardiac nurse"), description="Bring your questions.",
        description_html=cook("Bring your questions."), kind=EventKind.QA, host="Dr. Lee, cardiac rehab nurse",
        starts_at=starts, ends_at=starts + timedelta(hours=1), timezone="Europe/London", questions=True,
    )  # fmt: skip
    db.session.add(event)
    db.session.commit()
    return event


def _fits(page: Page) -> None:
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1], sizes


def test_a_member_asks_and_another_wants_to_know_too(new_page, width: str) -> None:  # noqa: ANN001
    """Ask on the event page, see the question; another member marks it; the count reads 1; axe clean."""
    event = _event()
    asker, other = world.member(), world.member()
    page: Page = new_page(width)
    sign_in(page, asker)
    page.goto(f"/events/{event.id}")
    page.get_by_label("Your question").fill("Is it safe to climb stairs in the first week?")
    page.get_by_role("button", name="Send my question").click()
    question = page.locator("li.question", has_text="Is it safe to climb stairs")
    expect(question).to_be_visible()
    assert serious_violations(page) == []
    _fits(page)
    second: Page = new_page(width)
    sign_in(second, other)
    second.goto(f"/events/{event.id}")
    second.get_by_role("button", name="I want to know too").click()
    expect(second.locator("li.question")).to_contain_text("1 member wants to know too.")
    expect(second.get_by_role("button", name="I no longer need to know")).to_be_visible()
    assert serious_violations(second) == []
    _fits(second)


def test_a_held_question_waits_in_the_queue(new_page, width: str) -> None:  # noqa: ANN001
    """A newcomer's question says it waits for review; the moderator's queue lists it, and the page is axe clean."""
    event = _event()
    newcomer = world.member(established=False)
    page: Page = new_page(width)
    sign_in(page, newcomer)
    page.goto(f"/events/{event.id}")
    page.get_by_label("Your question").fill("How soon can I drive again?")
    page.get_by_role("button", name="Send my question").click()
    expect(page.locator("li.question")).to_contain_text("Waiting for review")
    moderator: Page = new_page(width)
    sign_in(moderator, world.member(role=Role.MODERATOR))
    moderator.goto("/mod/queue")
    expect(moderator.locator(".event-question-reviews")).to_contain_text("How soon can I drive again?")
    assert serious_violations(moderator) == []
    _fits(moderator)
