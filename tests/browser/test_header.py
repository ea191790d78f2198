"""The page frame in Chromium: a phone's header leaves the first screen to the page, the menu opens without
JavaScript, the staff header is one line at desktop width, the footer sits at the bottom of short pages, and the
text-size control works without JavaScript and is remembered."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Announcement, Member
from app.services.content.announcements import create_announcement, end_announcement
from tests.browser import world
from tests.browser.pages import focus_state, sign_in, tab_to
from tests.browser.server import Site

PHONE_FIRST_CONTENT_PX = 250  # a phone's screen is 844 px tall: the page must start in its top third


@pytest.fixture(scope="module")
def place(site: Site) -> Iterator[world.Community]:
    """A community with a site-wide announcement up, as the demo has, taken down afterwards for the other tests."""
    with site.app.test_request_context():
        community = world.community()
        author = db.session.scalar(db.select(Member).where(Member.email == community.staff.email))
        notice = create_announcement(author, "Welcome to the **demo community**: every member here is made up.", None)
        notice_id = notice.id
        db.session.remove()
    yield community
    with site.app.test_request_context():
        author = db.session.scalar(db.select(Member).where(Member.email == community.staff.email))
        end_announcement(author, db.session.get(Announcement, notice_id))
        db.session.remove()


def lines_of(page: Page, selector: str) -> int:
    """How many rows the items matching `selector` occupy: items whose middles are under 12 px apart share one."""
    boxes = [el.bounding_box() for el in page.locator(selector).all()]
    middles = sorted(box["y"] + box["height"] / 2 for box in boxes if box)
    return len([m for n, m in enumerate(middles) if n == 0 or m - middles[n - 1] >= 12])


def test_a_moderators_queue_starts_near_the_top_of_a_phone(new_page, place, artifacts) -> None:  # noqa: ANN001
    """At 390x844, with an announcement up, the review queue's heading is within the top 250 px."""
    page = new_page("phone")
    sign_in(page, place.moderator)
    page.goto("/mod/queue")
    page.screenshot(path=artifacts / "queue-phone.png")
    expect(page.get_by_role("region", name="Announcement")).to_be_visible()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None and heading["y"] <= PHONE_FIRST_CONTENT_PX, heading
    # The menu is closed: its links wait behind one button.
    expect(page.locator(".site-header summary.menu-toggle")).to_be_visible()
    expect(page.locator(".site-header").get_by_role("link", name="Messages")).to_be_hidden()


@pytest.mark.parametrize("path", ["/", "/staff", "/mod/queue"])
def test_the_staff_header_is_one_line_at_desktop_width(new_page, place, path, artifacts) -> None:  # noqa: ANN001
    """At 1280 px the brand, the search box and every link of a staff member's header share one line."""
    page = new_page("desktop")
    sign_in(page, world.staff(world.unique("Nurse Priyanka")))
    page.goto(path)
    page.screenshot(path=artifacts / "header.png")
    expect(page.locator(".site-header summary.menu-toggle")).to_be_hidden()
    expect(page.locator(".site-header").get_by_role("link", name="Staff")).to_be_visible()
    assert lines_of(page, ".site-header .brand, .site-header .site-search, .site-nav > li") == 1


def test_the_phone_menu_opens_and_leads_on_without_javascript(new_page, place, artifacts) -> None:  # noqa: ANN001
    """With JavaScript off, the menu opens from the keyboard with a visible focus, and its links work."""
    page = new_page("phone", java_script_enabled=False)
    sign_in(page, place.member)
    page.goto("/")
    toggle = page.locator(".site-header summary.menu-toggle")
    messages = page.locator(".site-header").get_by_role("link", name="Messages")
    expect(messages).to_be_hidden()
    tab_to(page, ".site-header summary.menu-toggle")
    assert focus_state(page)["visible"]
    page.keyboard.press("Enter")
    expect(messages).to_be_visible()
    page.screenshot(path=artifacts / "menu-open.png")
    assert toggle.evaluate("el => el.parentElement.open")
    # The open menu lies over the page rather than pushing it down.
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None and heading["y"] <= PHONE_FIRST_CONTENT_PX
    messages.click()
    expect(page).to_have_url(re.compile(r"/messages$"))


def test_the_account_menu_opens_without_javascript_at_desktop_width(new_page, place) -> None:  # noqa: ANN001
    """At desktop width the member's own links sit behind their name, and open without JavaScript."""
    page = new_page("desktop", java_script_enabled=False)
    sign_in(page, place.member)
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()
    page.locator(".site-header summary.account-toggle").click()
    expect(sign_out).to_be_visible()
    expect(page.locator(".site-header").get_by_role("link", name="Your profile")).to_be_visible()


@pytest.mark.parametrize("path", ["/login", "/no-such-page"])
def test_the_footer_sits_at_the_bottom_of_a_short_page(new_page, place, width, path) -> None:  # noqa: ANN001
    """A page shorter than the window ends with the footer at the window's bottom edge, not half-way up."""
    page = new_page(width, viewport={"width": 1280 if width == "desktop" else 390, "height": 1400})
    page.goto(path)
    footer = page.locator(".site-footer").bounding_box()
    assert footer is not None
    assert abs(footer["y"] + footer["height"] - 1400) <= 1


def root_font_size(page: Page) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_text_size_is_chosen_without_javascript_and_remembered(new_page, place, width, who) -> None:  # noqa: ANN001
    """The footer's Large link enlarges the text on every page after it, Small shrinks it, Normal restores it."""
    page = new_page(width, java_script_enabled=False)
    if who == "member":
        sign_in(page, place.member)
    page.goto(f"/t/{place.topic_id}")
    sizes = page.get_by_role("navigation", name="Text size")
    normal = root_font_size(page)
    sizes.get_by_role("link", name="Large").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(place.topic_title)  # back on the same page
    assert root_font_size(page) > normal * 1.15
    expect(sizes.get_by_role("link", name="Large")).to_have_attribute("aria-current", "true")
    page.goto(f"/g/{place.group_slug}")
    assert root_font_size(page) > normal * 1.15
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    sizes.get_by_role("link", name="Small").click()
    expect(page.locator("html")).to_have_class("text-small")
    assert root_font_size(page) < normal
    sizes.get_by_role("link", name="Normal").click()
    expect(page.locator("html")).not_to_have_class(re.compile("text-"))
    assert root_font_size(page) == normal
