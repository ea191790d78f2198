"""The main journeys of patients, moderators and staff, in Chromium at desktop width and on a 390x844 phone.

Screenshots of every step land in test-artifacts/test_journeys/<test>/.
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from app.models import Role
from app.services.community.posting import reply, start_topic
from tests.browser import world
from tests.browser.pages import Shots, nav_link, press_and_load, sign_in, sign_out, tab_to
from tests.browser.world import PASSWORD, unique


@pytest.fixture
def shots(artifacts) -> Shots:  # noqa: ANN001
    return Shots(artifacts)


def sign_up(page: Page, name: str) -> None:
    """Fill the registration form, accepting the guidelines."""
    page.get_by_label("E-mail address").fill(f"{name.lower().replace(' ', '.')}@example.org")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_role("button", name="Create my account").click()


def test_visitor_signs_up_joins_a_group_and_starts_a_topic_held_for_review(new_page, width, shots) -> None:
    """Journey 1: sign up, accept the guidelines, join a group, start a topic; it is held and labelled so."""
    place = world.group(unique("Heart rehab"))
    page = new_page(width)
    page.goto("/")
    shots(page, "home")
    page.get_by_role("main").get_by_role("link", name="Join the community").click()
    sign_up(page, unique("New Patient"))
    expect(page.locator(".flashes")).to_contain_text("Welcome to the community")
    page.get_by_role("link", name=place.name).click()
    page.get_by_role("button", name="Join this group").click()
    shots(page, "joined")
    page.get_by_role("link", name="Start a topic").click()
    page.get_by_label("Title").fill("First week home after my stent")
    page.get_by_label(re.compile("^(Your message|Body|Message)")).fill("Is it normal to feel this tired?")
    page.get_by_role("button", name="Post topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("First week home after my stent")
    expect(page.locator(".notice-pending").first).to_contain_text("Awaiting review")
    shots(page, "held-for-review")


def test_moderator_approves_a_held_topic_and_the_author_is_told(new_page, width, shots) -> None:
    """Journey 2: a moderator approves a held topic from the queue; its author sees it published and is notified."""
    newcomer = world.member(unique("Newcomer"), established=False)
    moderator = world.member(unique("Moderator"), role=Role.MODERATOR)
    place = world.group(members=(newcomer,))
    title = f"Questions about insulin pumps {unique('#')}"
    held = start_topic(newcomer, place, title, "Which pump do you use, and why?").topic
    assert held.status.value == "pending"

    mod_page = new_page(width)
    sign_in(mod_page, moderator)
    nav_link(mod_page, re.compile("^Review queue")).click()
    item = mod_page.locator(".queue-item").filter(has_text=title)
    expect(item).to_be_visible()
    shots(mod_page, "queue")
    item.locator("summary", has_text="Read and decide").click()  # each item's decision is folded away
    item.get_by_label("Decision", exact=True).select_option("approve")
    item.get_by_role("button", name="Record decision").click()
    expect(mod_page.locator(".queue-item").filter(has_text=title)).to_have_count(0)
    shots(mod_page, "queue-after")

    author_page = new_page(width)
    sign_in(author_page, newcomer)
    nav_link(author_page, re.compile("^Notifications")).click()
    notice = author_page.locator(".card").filter(has_text=re.compile("approved|published", re.I)).first
    expect(notice).to_be_visible()
    shots(author_page, "notified")
    notice.get_by_role("link", name="Open").click()
    expect(author_page.get_by_role("heading", level=1)).to_have_text(title)
    expect(author_page.locator(".notice-pending")).to_have_count(0)
    author_page.get_by_role("link", name=place.name).click()
    expect(author_page.get_by_role("link", name=title)).to_be_visible()
    shots(author_page, "published")
    sign_out(author_page)


def test_reply_marked_helpful_and_notification_leads_to_the_post(new_page, width, shots) -> None:
    """Journey 3: a member replies; the topic's author follows the notification to that reply and marks it helpful."""
    author, replier = world.member(unique("Topic Author")), world.member(unique("Replier"))
    place = world.group(members=(author, replier))
    title = f"Coping with fatigue during chemo {unique('#')}"
    world.topic(author, place, title, "How do you manage the tiredness?")

    replier_page = new_page(width)
    sign_in(replier_page, replier)
    replier_page.goto(f"/g/{place.slug}")
    replier_page.get_by_role("link", name=title).click()
    replier_page.get_by_label("Your reply").fill("Short naps before 3pm helped me, and saying no to visitors.")
    replier_page.get_by_role("button", name="Post reply").click()
    reply_post = replier_page.locator(".post").filter(has_text="Short naps before 3pm")
    expect(reply_post).to_be_visible()
    reply_id = reply_post.get_attribute("id")
    shots(replier_page, "replied")

    author_page = new_page(width)
    sign_in(author_page, author)
    nav_link(author_page, re.compile("^Notifications")).click()
    notice = author_page.locator(".card").filter(has_text=f"{replier.display_name} replied")
    shots(author_page, "notification")
    notice.get_by_role("link", name="Open").click()
    expect(author_page).to_have_url(re.compile(rf"#{reply_id}$"))
    target = author_page.locator(f"#{reply_id}")
    expect(target).to_be_in_viewport()
    assert target.evaluate("el => el.matches(':target')"), "the notification did not lead to the reply"
    target.get_by_role("button", name="Helpful").click()
    expect(author_page.locator(f"#{reply_id}")).to_contain_text("1 member found this helpful")
    shots(author_page, "marked-helpful")


# The same journey ends either way: at desktop width the moderator restores the post, on the phone removes it.
FLAG_OUTCOME = {"desktop": ("dismiss", True), "phone": ("reject", False)}


def test_flags_hide_a_post_and_a_moderator_decides(new_page, width, shots) -> None:
    """Journey 4: the third flag hides a reply; a moderator restores it (desktop) or removes it (phone)."""
    from app.services.moderation.flags import flag_post

    author, flagger = world.member(unique("Seller")), world.member(unique("Flagger"))
    earlier = [world.member(unique("Early Flagger")) for _ in range(2)]
    moderator = world.member(unique("Moderator"), role=Role.MODERATOR)
    place = world.group(members=(author, flagger, *earlier))
    title = f"Supplements that worked for me {unique('#')}"
    text = "Buy my miracle drops, they cure everything, message me for a discount."
    topic = world.topic(author, place, title, "What do you take?")
    post = reply(author, topic, text).post
    post_id = post.id
    for person in earlier:
        flag_post(person, post, "spam")

    page = new_page(width)
    sign_in(page, flagger)
    page.goto(f"/t/{topic.id}")
    page.locator(f"#p{post_id}").get_by_role("link", name="Flag").click()
    page.get_by_label("Spam or advertising").check()
    shots(page, "flag-form")
    page.get_by_role("button", name="Send to the moderators").click()
    expect(page.locator(".flashes")).to_be_visible()
    page.goto(f"/t/{topic.id}")
    expect(page.get_by_text(text)).to_have_count(0)
    shots(page, "hidden")

    decision, restored = FLAG_OUTCOME[width]
    mod_page = new_page(width)
    sign_in(mod_page, moderator)
    mod_page.goto("/mod/queue")
    item = mod_page.locator(".queue-item").filter(has_text=text)
    expect(item).to_contain_text("hidden")
    item.locator("summary", has_text="Read and decide").click()  # each item's decision is folded away
    item.get_by_label("Decision", exact=True).select_option(decision)
    if decision == "reject":
        item.get_by_label(re.compile("^Reason")).fill("Advertising is not allowed here.")
    shots(mod_page, "deciding")
    item.get_by_role("button", name="Record decision").click()
    expect(mod_page.locator(".queue-item").filter(has_text=text)).to_have_count(0)

    page.goto(f"/t/{topic.id}")
    expect(page.get_by_text(text)).to_have_count(1 if restored else 0)
    shots(page, "after-decision")


def test_staff_pin_add_a_resource_and_change_the_guidelines(new_page, width, shots) -> None:
    """Journey 5: staff pin a topic, add a resource and make a material guidelines change; members must accept it."""
    reader, nurse = world.member(unique("Reader")), world.staff(unique("Nurse"))
    place = world.group(members=(reader,))
    title = f"Welcome: start here {unique('#')}"
    topic = world.topic(nurse, place, title, "Read this first.")

    page = new_page(width)
    sign_in(page, nurse)
    page.goto(f"/t/{topic.id}")
    page.get_by_role("button", name="Pin in group").click()
    expect(page.locator("h1 + .meta .badge-pinned, .page-header .badge-pinned").first).to_contain_text("Pinned")
    shots(page, "pinned")

    resource = f"Cardiac rehab: what to expect {unique('#')}"
    page.goto("/staff/resources/new")
    page.get_by_label("Title").fill(resource)
    page.get_by_label("Kind").select_option(index=1)
    page.get_by_label(re.compile("^Web address")).fill("https://www.example.org/rehab")
    shots(page, "resource-form")
    page.get_by_role("button", name="Add to the library").click()
    expect(page.locator(".flashes")).to_be_visible()

    page.goto("/guidelines/edit")
    body = page.get_by_label("Guidelines (Markdown)")
    body.fill(body.input_value() + f"\n\n## Fundraising\n\nAsk staff before fundraising. ({unique('rev')})\n")
    page.get_by_label(re.compile("^What changed")).fill("Added a section on fundraising.")
    page.get_by_label(re.compile("^Material change")).check()
    shots(page, "guidelines-edit")
    page.get_by_role("button", name=re.compile("^Publish version")).click()
    expect(page.locator(".flashes")).to_be_visible()

    member_page = new_page(width)
    sign_in(member_page, reader)
    banner = member_page.get_by_role("region", name="Guidelines changed")
    expect(banner).to_be_visible()
    shots(member_page, "asked-to-accept")
    banner.get_by_role("link", name="Review and accept").click()
    expect(member_page.get_by_role("main")).to_contain_text("Added a section on fundraising.")
    member_page.get_by_label("I have read and accept the community guidelines").check()
    member_page.get_by_role("button", name="Accept and continue").click()
    expect(member_page.get_by_role("region", name="Guidelines changed")).to_have_count(0)
    member_page.goto(f"/g/{place.slug}")
    expect(member_page.locator(".topic-row").filter(has_text=title)).to_contain_text("Pinned")
    nav_link(member_page, "Resources").click()
    expect(member_page.get_by_role("link", name=resource)).to_be_visible()
    shots(member_page, "resources")


def test_keyboard_only_sign_up_join_and_start_a_topic(new_page, shots) -> None:
    """Journey 1 with the keyboard alone (Tab, Enter, Space), focus visible at every stop."""
    place = world.group(unique("Kidney care"))
    name = unique("Keyboard User")
    page = new_page("desktop")
    page.goto("/")
    tab_to(page, "a.skip-link")
    page.keyboard.press("Enter")
    tab_to(page, "main a:text('Join the community')")
    press_and_load(page, "Enter")
    for label, text in (
        ("E-mail address", f"{name.lower().replace(' ', '.')}@example.org"),
        ("Display name", name),
        ("Password", PASSWORD),
        ("Repeat password", PASSWORD),
    ):
        tab_to(page, f"#{page.get_by_label(label, exact=True).get_attribute('id')}")
        page.keyboard.type(text)
    tab_to(page, "input[type=checkbox]")
    page.keyboard.press("Space")
    shots(page, "form-filled")
    tab_to(page, "main button[type=submit]")
    press_and_load(page, "Enter")
    expect(page.locator(".flashes")).to_contain_text("Welcome to the community")
    tab_to(page, f"main a[href='/g/{place.slug}']", limit=200)
    press_and_load(page, "Enter")
    tab_to(page, "main button:text('Join this group')")
    press_and_load(page, "Enter")
    tab_to(page, "main a:text('Start a topic')")
    shots(page, "focus-on-start")
    press_and_load(page, "Enter")
    tab_to(page, "#title")
    page.keyboard.type("Tired after dialysis")
    tab_to(page, "#body")
    page.keyboard.type("How do you plan your days around sessions?")
    tab_to(page, "main button:text('Post topic')")
    press_and_load(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tired after dialysis")
    expect(page.locator(".notice-pending").first).to_contain_text("Awaiting review")
    shots(page, "held")


def test_private_message_then_export_and_delete_the_account(new_page, width, shots, tmp_path) -> None:
    """Journey 6: a member writes a private message, downloads their data, and deletes their account."""
    writer, mentor = world.member(unique("Leaving Member")), world.member(unique("Mentor"), role=Role.MENTOR)
    email = writer.email  # read now: deleting the account erases it from the row
    page = new_page(width)
    sign_in(page, writer)
    nav_link(page, "Messages").click()
    page.goto("/messages/new")
    page.get_by_label("To", exact=True).fill(mentor.display_name)
    page.get_by_label("Subject (optional)").fill("Thank you")
    page.get_by_label("Message", exact=True).fill("Your advice about rehab really helped me.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your advice about rehab really helped me.")).to_be_visible()
    shots(page, "message-sent")

    page.goto("/account")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Export your data").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    archive = tmp_path / "export.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as exported:
        data = json.loads(exported.read("kindred-export.json"))
    assert email in json.dumps(data)
    assert "Your advice about rehab really helped me." in json.dumps(data)

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Delete account").click()
    page.get_by_label("Your password, to confirm it is you").fill(PASSWORD)
    shots(page, "delete-form")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".flashes")).to_contain_text("Your account is deleted")
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("don't match an account")
    shots(page, "cannot-sign-in")
