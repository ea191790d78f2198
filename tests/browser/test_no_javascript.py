"""The core flows work with JavaScript switched off: it only enhances (video cards, share buttons)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.services.community.posting import reply
from tests.browser import world
from tests.browser.pages import sign_out
from tests.browser.world import PASSWORD, unique


def test_sign_up_post_reply_and_mark_helpful_without_javascript(new_page, width, artifacts) -> None:
    """Without JavaScript a visitor signs up, joins, starts a topic, replies, marks a reply helpful and signs out."""
    helper = world.member(unique("Helper"))
    place = world.group(members=(helper,))
    question = world.topic(helper, place, f"Walking after a knee replacement {unique('#')}", "How far, how soon?")
    answer = reply(helper, question, "Ten minutes twice a day at first.").post
    name = unique("No Script")

    page = new_page(width, java_script_enabled=False)
    page.goto("/register")
    page.get_by_label("E-mail address").fill(f"{name.lower().replace(' ', '.')}@example.org")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator(".flashes")).to_contain_text("Welcome")

    page.goto(f"/g/{place.slug}")
    page.get_by_role("button", name="Join this group").click()
    page.get_by_role("link", name="Start a topic").click()
    page.get_by_label("Title").fill("Does anyone else use a walking stick?")
    page.get_by_label("Your message").fill("I feel self-conscious about it.")
    page.get_by_role("button", name="Post topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Does anyone else use a walking stick?")

    page.goto(f"/t/{question.id}")
    page.get_by_label("Your reply").fill("Thank you, that is reassuring.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Thank you, that is reassuring.")).to_be_visible()
    page.locator(f"#p{answer.id}").get_by_role("button", name="Helpful").click()
    expect(page.locator(f"#p{answer.id}")).to_contain_text(re.compile("1 member found this helpful"))
    page.screenshot(path=artifacts / "topic.png", full_page=True)
    sign_out(page)
