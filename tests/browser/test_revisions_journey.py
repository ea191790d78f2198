"""Edit history in Chromium, at desktop width and on a 390x844 phone: edit with a reason, see "edited", read the diff.

Screenshots of every step land in test-artifacts/test_revisions_journey/<test>/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.services.community.posting import reply
from tests.browser import world
from tests.browser.pages import Shots, sign_in
from tests.browser.world import unique


@pytest.fixture
def shots(artifacts) -> Shots:  # noqa: ANN001
    return Shots(artifacts)


def test_member_edits_with_a_reason_and_reads_the_history(new_page, width, shots) -> None:
    """A member edits their reply giving a reason, sees "edited" on it, opens the history and reads the change."""
    author = world.member(unique("Writer"))
    place = world.group(members=(author,))
    title = f"Tiredness after chemo {unique('#')}"
    started = world.topic(author, place, title, "How long did the tiredness last for you?")
    answer = reply(author, started, "I rest every day at 2 pm.").post
    page: Page = new_page(width)
    sign_in(page, author)
    page.goto(f"/t/{started.id}/{started.slug}")
    page.locator(f"#p{answer.id}").get_by_role("link", name="Edit").click()
    page.get_by_label("Your message").fill("I rest every day at 3 pm.")
    page.get_by_label("Reason for this edit").fill("Wrong time")
    shots(page, "edit-with-reason")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".flashes")).to_contain_text("Your changes are saved.")
    post = page.locator(f"#p{answer.id}")
    expect(post.locator(".post-body")).to_contain_text("3 pm")
    shots(page, "edited")
    post.get_by_role("link", name="edited").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit history")
    expect(page.locator("table.revisions")).to_contain_text("Wrong time")
    expect(page.locator(".diff del")).to_contain_text("I rest every day at 2 pm.")
    expect(page.locator(".diff ins")).to_contain_text("I rest every day at 3 pm.")
    shots(page, "history")
