"""Bookmarks by keyboard in Chromium: Tab reaches the Bookmark button with visible focus, Enter keeps the post,
the button then says "Bookmarked", and the note's page is reached, filled in and saved without a mouse."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser import world
from tests.browser.pages import focus_state, press_and_load, sign_in, tab_to

# Chromium's date-time field takes several Tab stops; on the last, its calendar button (inside the field, ringed
# by our ::-webkit-calendar-picker-indicator rule) has focus, which the page's own styles cannot be read for.
INSIDE_PICKER = "() => document.activeElement.type === 'datetime-local' && !document.activeElement.matches(':focus')"


def tab_past_the_reminder_to(page: Page, selector: str) -> None:
    """Tab on to `selector`, every stop showing focus, the date-time field's calendar button aside."""
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(INSIDE_PICKER):
            continue
        state = focus_state(page)
        assert state and state["visible"], f"focus is not visible on {state}"
        if page.locator(selector).evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} never received focus")


def test_a_post_is_bookmarked_and_noted_by_keyboard(new_page) -> None:  # noqa: ANN001
    """Tab to a reply's Bookmark, Enter; it reads Bookmarked; then the note is written and saved by keyboard."""
    reader, author = world.member(), world.member()
    place = world.group(world.unique("Joints"), members=(reader, author))
    topic = world.topic(author, place, "Knee pain on stairs", "Does anyone else find stairs hard?",
                        ((author, "Going down is the worst part for me."),))  # fmt: skip
    page: Page = new_page()
    sign_in(page, reader)
    page.goto(f"/t/{topic.id}")
    reply = page.locator("li.post").nth(1)
    tab_to(page, "li.post:nth-child(2) form.bookmark-form button")
    press_and_load(page, "Enter")
    expect(reply.get_by_role("button", name="Bookmarked (press to remove the bookmark)")).to_be_visible()
    tab_to(page, "li.post:nth-child(2) a.bookmark-note-link")
    press_and_load(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bookmark: note and reminder")
    tab_to(page, "textarea[name=note]")
    page.keyboard.type("Ask the physio about this.")
    tab_past_the_reminder_to(page, "form:has(textarea) button[type=submit]")
    press_and_load(page, "Enter")
    expect(page.locator(".bookmark-note")).to_have_text("Ask the physio about this.")
