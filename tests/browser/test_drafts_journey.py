"""Drafts in a real browser: a long reply is saved while typing, survives a reload, and goes once it is posted.

Screenshots of every step land in test-artifacts/test_drafts_journey/<test>/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import world
from tests.browser.pages import Shots, sign_in
from tests.browser.world import unique

LONG_REPLY = (
    "When I came home after the operation I could not climb the stairs without stopping twice. "
    "What helped most was a chair on the landing, a bottle of water on every floor, and my sister "
    "calling every evening at eight. It took about three weeks before I stopped counting the steps. "
) * 3


@pytest.fixture
def shots(artifacts) -> Shots:  # noqa: ANN001
    return Shots(artifacts)


def _typed(page: Page, text: str) -> None:
    """Type like a person (input events, not one fill), then stop."""
    box = page.get_by_label("Your reply")
    box.click()
    box.press_sequentially(text[:60], delay=5)
    box.fill(text)  # the rest at once: the save waits for typing to stop either way


def test_a_long_reply_survives_a_reload_and_goes_once_posted(new_page, width, shots) -> None:
    """Type a long reply, see "Draft saved", reload and find it in the form; post it; the draft is gone."""
    me = world.member(unique("Writer"))
    author = world.member(unique("Author"))
    place = world.group(members=(me, author))
    topic = world.topic(author, place, f"Stairs after surgery {unique('#')}", "How long until stairs felt normal?")
    page = new_page(width)
    sign_in(page, me)
    page.goto(f"/t/{topic.id}/{topic.slug}")
    _typed(page, LONG_REPLY)
    status = page.locator(".draft-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("Draft saved", timeout=10_000)
    shots(page, "draft-saved")

    page.reload()
    expect(page.get_by_label("Your reply")).to_have_value(LONG_REPLY)
    expect(page.get_by_role("button", name="Discard draft")).to_be_visible()
    shots(page, "draft-after-reload")

    page.goto("/drafts")
    expect(page.locator(".draft-item")).to_contain_text("When I came home after the operation")
    page.get_by_role("link", name="Go on writing").click()
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".post").filter(has_text="a chair on the landing")).to_be_visible()
    shots(page, "posted")

    page.goto("/drafts")
    expect(page.get_by_text("You have no drafts.")).to_be_visible()
    page.goto(f"/t/{topic.id}/{topic.slug}")
    expect(page.get_by_label("Your reply")).to_have_value("")
