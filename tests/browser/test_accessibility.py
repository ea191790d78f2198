"""Accessibility in Chromium: axe-core finds no serious or critical problem on any main page, signed out and in;
forms are labelled and announce their errors; text zoomed to 200% needs no horizontal scrolling.

axe (bundled by axe-playwright-python) is injected with page.evaluate, which the strict CSP allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser import world
from tests.browser.pages import sign_in
from tests.browser.server import Site

AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
SERIOUS = {"serious", "critical"}

# (role, page name) -> path; {group}, {topic} and {name} come from the seeded community.
PAGES = {
    "home": "/",
    "group": "/g/{group}",
    "topic": "/t/{topic}",
    "register": "/register",
    "login": "/login",
    "profile": "/u/{name}",
    "search": "/search?q=sleep",
    "resources": "/resources",
    "events": "/events",
    "guidelines": "/guidelines",
    "not-found": "/no-such-page",
}
SIGNED_IN_PAGES = {
    "new-topic": "/g/{group}/new",
    "notifications": "/notifications",
    "unread": "/unread",
    "bookmarks": "/bookmarks",
    "calendar-feed": "/events/calendar",
    "messages": "/messages",
    "account": "/account",
    "forbidden": "/staff/pins",
    "new-message": "/messages/new",
    "export": "/account/export",
    "delete-account": "/account/delete",
}
STAFF_PAGES = {
    "queue": "/mod/queue",
    "dashboard": "/staff",
    "staff-resources": "/staff/resources",
    "staff-new-event": "/staff/events/new",
    "announcements": "/staff/announcements",
    "guidelines-edit": "/guidelines/edit",
    "watched-words": "/mod/watched-words",
}
CASES = (
    [("visitor", name) for name in PAGES]
    + [("member", name) for name in {**PAGES, **SIGNED_IN_PAGES} if name not in ("register", "login")]
    + [("staff", name) for name in STAFF_PAGES]
)


@pytest.fixture(scope="module")
def place(site: Site) -> Iterator[world.Community]:
    with site.app.test_request_context():
        yield world.community()


@pytest.fixture(scope="module")
def sessions(browser, site: Site, place: world.Community) -> dict[str, dict]:  # noqa: ANN001
    """Each role signs in once; its cookies are reused by every page check."""
    states: dict[str, dict] = {"visitor": {"cookies": [], "origins": []}}
    for role, someone in (("member", place.member), ("staff", place.staff)):
        context = browser.new_context(base_url=site.url)
        page = context.new_page()
        sign_in(page, someone)
        states[role] = context.storage_state()
        context.close()
    return states


def path_for(name: str, place: world.Community, role: str) -> str:
    template = {**PAGES, **SIGNED_IN_PAGES, **STAFF_PAGES}[name]
    who = place.staff if role == "staff" else place.member
    return template.format(group=place.group_slug, topic=place.topic_id, name=who.display_name)


def serious_violations(page: Page) -> list[str]:
    """axe's serious and critical findings, one line each with the first offending elements."""
    results = AXE.run(page, options=AXE_OPTIONS).response
    problems = []
    for violation in results["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return problems


def require_route(site: Site, path: str) -> None:
    """Pages other features add (messages, account) are checked once they exist."""
    adapter = site.app.url_map.bind("localhost")
    try:
        adapter.match(path.split("?")[0])
    except Exception as error:  # noqa: BLE001 - NotFound or MethodNotAllowed
        if path != "/no-such-page":
            pytest.skip(f"{path} does not exist yet ({type(error).__name__})")


@pytest.mark.parametrize(("role", "name"), CASES)
def test_page_has_no_serious_accessibility_violations(new_page, site, place, sessions, role, name, artifacts) -> None:  # noqa: ANN001
    """axe finds no serious or critical WCAG 2.2 A/AA problem on the page."""
    path = path_for(name, place, role)
    require_route(site, path)
    page = new_page("desktop", storage_state=sessions[role])
    page.goto(path)
    page.screenshot(path=artifacts / "page.png", full_page=True)
    assert serious_violations(page) == []


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_error_page_for_an_expired_form_is_accessible(new_page, sessions, role) -> None:  # noqa: ANN001
    """The 400 page (a form sent without its CSRF token) passes axe too."""
    page = new_page("desktop", storage_state=sessions[role])
    page.goto("/login" if role == "visitor" else "/guidelines")
    form = page.locator("form:has(input[name=csrf_token])").first
    form.evaluate("f => { f.querySelector('input[name=csrf_token]').remove(); f.requestSubmit(); }")
    expect(page.get_by_text("Error 400")).to_be_visible()
    assert serious_violations(page) == []


def test_skip_link_is_the_first_stop_and_moves_to_the_content(new_page) -> None:
    """The first Tab reveals a visible "Skip to content" link; Enter moves focus to the main content."""
    page = new_page("desktop")
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()


FORM_PAGES = ["/register", "/login", "/g/{group}/new", "/search", "/t/{topic}"]


@pytest.mark.parametrize("path", FORM_PAGES)
def test_every_form_field_has_a_label(new_page, place, sessions, path) -> None:  # noqa: ANN001
    """Every visible input, select and textarea has an accessible name from a label (not a placeholder)."""
    page = new_page("desktop", storage_state=sessions["member"] if "{" in path else sessions["visitor"])
    page.goto(path.format(group=place.group_slug, topic=place.topic_id))
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
             .filter(el => el.type !== 'hidden' && el.getClientRects().length)
             .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                           && !el.getAttribute('aria-labelledby'))
             .map(el => el.outerHTML.slice(0, 120))"""
    )
    assert unlabelled == []


def test_form_errors_are_announced_and_tied_to_their_fields(new_page) -> None:
    """A refused form shows an alert, marks each wrong field aria-invalid and describes it with its error."""
    page = new_page("desktop")
    page.goto("/register")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check the form")
    invalid = page.locator("[aria-invalid=true]").all()
    assert len(invalid) >= 4
    for field in invalid:
        described = (field.get_attribute("aria-describedby") or "").split()
        errors = [page.locator(f"#{ident}") for ident in described if ident.endswith("-error")]
        assert errors, f"{field.get_attribute('name')} is not described by its error"
        expect(field).to_have_accessible_description(re.compile(re.escape(errors[0].inner_text().strip())))


ZOOM_PAGES = [
    "home",
    "group",
    "topic",
    "new-topic",
    "profile",
    "search",
    "resources",
    "guidelines",
    "notifications",
    "unread",
    "bookmarks",
]


REFLOW = {
    "zoom-200": {"viewport": {"width": 640, "height": 800}, "device_scale_factor": 2},  # 1280px window at 200%
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.mark.parametrize("window", list(REFLOW))
@pytest.mark.parametrize("name", ZOOM_PAGES + ["queue", "dashboard"])
def test_page_needs_no_horizontal_scrolling(new_page, place, sessions, name, window, artifacts) -> None:  # noqa: ANN001
    """At 200% zoom (640 CSS px at device scale 2) and on a 390px phone, the page fits its width."""
    role = "staff" if name in STAFF_PAGES else "member"
    page = new_page("desktop", storage_state=sessions[role], **REFLOW[window])
    page.goto(path_for(name, place, role))
    page.screenshot(path=artifacts / f"{window}.png", full_page=True)
    overflow = page.evaluate(
        """() => {
          const root = document.documentElement;
          const wide = [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
            .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
          return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide.slice(0, 5)};
        }"""
    )
    assert overflow["scroll"] <= overflow["client"], overflow


def test_status_labels_are_words_not_only_colours(new_page, place, sessions) -> None:  # noqa: ANN001
    """Roles (mentor, staff) and states (pinned, pending) are labelled in words, not told by colour alone."""
    page = new_page("desktop", storage_state=sessions["member"])
    page.goto(f"/t/{place.topic_id}")
    labels = page.locator(".post .badge").all_inner_texts()
    assert {"Mentor", "Staff"} <= {label.strip() for label in labels}
    for badge in page.locator(".badge").all():
        assert badge.inner_text().strip(), "a badge with no words"


def test_flag_form_ties_its_missing_reason_to_the_choices(new_page, place, sessions) -> None:  # noqa: ANN001
    """Sending a flag without a reason marks the radio buttons invalid and describes them with the error."""
    page = new_page("desktop", storage_state=sessions["member"])
    page.goto(f"/t/{place.topic_id}")
    page.locator(".post").nth(1).get_by_role("link", name="Flag").click()
    page.get_by_role("button", name="Send to the moderators").click()
    expect(page.get_by_role("alert")).to_be_visible()
    first_choice = page.get_by_role("radio").first
    expect(first_choice).to_have_attribute("aria-invalid", "true")
    expect(first_choice).to_have_accessible_description(re.compile(r"\w"))
