"""Name suggestions in Chromium: typing part of a name in "To" or after "@" in a reply offers it, and the keyboard
picks it (static/suggest.js)."""

from __future__ import annotations

from playwright.sync_api import expect

from app.models import Role
from tests.browser import world
from tests.browser.pages import sign_in
from tests.browser.world import unique


def test_recipient_is_suggested_and_picked_with_the_keyboard(new_page) -> None:
    """Typing the start of a mentor's name lists it; arrow down and Enter put the whole name in the field."""
    writer, mentor = world.member(unique("Writer")), world.member(unique("Zephyrine Mentor"), role=Role.MENTOR)
    page = new_page("desktop")
    sign_in(page, writer)
    page.goto("/messages/new")
    field = page.get_by_label("To", exact=True)
    field.press_sequentially(mentor.display_name[:6], delay=20)
    option = page.get_by_role("option", name=mentor.display_name)
    expect(option).to_be_visible()
    field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value(f"{mentor.display_name}, ")
    expect(page.get_by_role("listbox")).to_be_hidden()


def test_mention_is_suggested_in_the_reply_box(new_page) -> None:
    """In a reply, "@" and the start of a name offer the member; choosing writes the mention in full."""
    writer, other = world.member(unique("Writer")), world.member(unique("Quintessa Other"))
    group = world.group(members=(writer, other))
    topic = world.topic(other, group, unique("Sleep after surgery"), "How did the first nights go for you?")
    page = new_page("desktop")
    sign_in(page, writer)
    page.goto(f"/t/{topic.id}")
    box = page.get_by_label("Your reply")
    box.press_sequentially("Thanks @" + other.display_name[:5], delay=20)
    page.get_by_role("option", name=other.display_name).click()
    expect(box).to_have_value(f"Thanks @[{other.display_name}] ")
