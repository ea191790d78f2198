"""What a person does in the browser, in the page's own words (labels, button names), plus screenshots and focus."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from app.models import Member
from tests.browser.world import PASSWORD, Person

# Whether the focused element shows a focus indicator the user can see: an outline or a ring.
FOCUS_VISIBLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  return {tag: el.tagName, text: (el.innerText || el.value || el.name || '').slice(0, 40), visible: outline || ring,
          matches: el.matches(':focus-visible')};
}"""


class Shots:
    """Numbered screenshots of one test, in the order taken, under its test-artifacts folder."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.count = folder, 0

    def __call__(self, page: Page, name: str) -> None:
        self.count += 1
        page.screenshot(path=self.folder / f"{self.count:02d}-{name}.png", full_page=True)


def sign_in(page: Page, person: Member | Person, password: str = PASSWORD) -> None:
    """Sign in through the login form and land on the page it redirects to."""
    page.goto("/login")
    page.get_by_label("E-mail address").fill(person.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


def open_header_menus(page: Page) -> None:
    """Open the header's disclosures a person would click to reach a link: the phone's menu, the account menu."""
    for toggle in ("summary.menu-toggle", "summary.account-toggle"):
        summary = page.locator(f".site-header {toggle}")
        if summary.count() and summary.is_visible() and not summary.evaluate("el => el.parentElement.open"):
            summary.click()


def nav_link(page: Page, name: str | re.Pattern[str]):  # noqa: ANN201 - a Locator
    """A link of the header's navigation, with the menus it sits in opened."""
    open_header_menus(page)
    return page.locator(".site-header").get_by_role("link", name=name)


def sign_out(page: Page) -> None:
    open_header_menus(page)
    page.get_by_role("button", name="Sign out").click()
    expect(nav_link(page, "Sign in")).to_be_visible()


def focus_state(page: Page) -> dict | None:
    return page.evaluate(FOCUS_VISIBLE_JS)


def tab_to(page: Page, selector: str, *, limit: int = 60, backwards: bool = False) -> None:
    """Press Tab until the element matching `selector` has focus, checking every stop shows where focus is."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        state = focus_state(page)
        if state is None:
            continue
        assert state["visible"], f"focus is not visible on {state}"
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} never received focus after {limit} presses of Tab")


def press_and_load(page: Page, key: str) -> None:
    """Press a key that follows a link or sends a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)
