"""Two-factor sign-in in Chromium, at desktop width and on a 390px phone: set up from the QR page's key, keep the
recovery codes, then sign in with a code; every page fits the phone and passes axe."""

from __future__ import annotations

import time

import pyotp
from playwright.sync_api import Page, expect

from tests.browser import world
from tests.browser.pages import sign_in, sign_out
from tests.browser.test_accessibility import serious_violations
from tests.browser.world import PASSWORD


def _fits(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width


def _code(secret: str, steps: int = 0) -> str:
    while time.time() % 30 > 27:  # not at the very end of a step: the code must still be current when checked
        time.sleep(0.25)
    return pyotp.TOTP(secret).at(time.time(), counter_offset=steps)


def test_set_up_and_sign_in_with_an_authenticator_code(new_page, width: str) -> None:  # noqa: ANN001
    """The key shown beside the QR code sets up an app; its codes then complete the sign-in."""
    person = world.member()
    page: Page = new_page(width)
    sign_in(page, person)
    page.goto("/account/two-factor")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.locator("figure.qr svg")).to_be_visible()
    _fits(page)
    assert serious_violations(page) == []
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(_code(secret, -1))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    _fits(page)
    assert serious_violations(page) == []
    sign_out(page)
    page.goto("/login")
    page.get_by_label("E-mail address").fill(person.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    _fits(page)
    assert serious_violations(page) == []
    page.get_by_label("Code").fill(_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()
