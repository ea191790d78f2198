"""Passkeys in real Chromium with its virtual authenticator (Chrome DevTools Protocol, WebAuthn domain): a member
registers a passkey, signs out and back in with it alone; signs in with the password and uses the passkey as the
second step; and removes it, after which the password alone signs in again.

WebAuthn needs a secure context and a domain for its relying-party id: the served app listens on 127.0.0.1, which is
no domain, so the browser opens it as http://localhost (a secure context too), and the app, having no
KINDRED_BASE_URL here, takes its relying party from that trusted loopback host."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser import world
from tests.browser.conftest import VIEWPORTS
from tests.browser.pages import sign_out
from tests.browser.server import Site
from tests.browser.test_accessibility import serious_violations
from tests.browser.world import PASSWORD


@pytest.fixture
def passkey_page(browser, site: Site, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Page]:  # noqa: ANN001
    """A page at http://localhost:PORT with a virtual platform authenticator that holds discoverable credentials
    and verifies its user (as a phone's fingerprint or a laptop's PIN would)."""
    context = browser.new_context(base_url=site.url.replace("127.0.0.1", "localhost"), **VIEWPORTS["desktop"])
    context.set_default_timeout(10_000)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    page.authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]  # type: ignore[attr-defined]
    page.cdp = cdp  # type: ignore[attr-defined]
    yield page
    call = getattr(request.node, "report_call", None)
    if call is None or call.failed:
        with contextlib.suppress(Exception):
            page.screenshot(path=artifacts / "last.png", full_page=True)
    context.close()


def _credentials(page: Page) -> list[dict]:
    return page.cdp.send("WebAuthn.getCredentials", {"authenticatorId": page.authenticator})["credentials"]  # type: ignore[attr-defined]


def _password_sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def _signed_in(page: Page) -> None:
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


def _fits_a_phone_and_passes_axe(page: Page) -> None:
    """At 390 px the page needs no sideways scrolling, and axe finds nothing serious (the passkey button shown)."""
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("form[data-passkey]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(page) == []
    page.set_viewport_size(VIEWPORTS["desktop"]["viewport"])


def _add_passkey(page: Page, name: str) -> None:
    page.goto("/account/passkeys")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text(f"Your passkey “{name}” is added.")).to_be_visible()
    expect(page.locator(".passkey-name")).to_have_text([name])


def test_register_then_sign_in_without_a_password(passkey_page: Page) -> None:
    """Add a passkey, let it sign in alone, sign out, and sign back in with "Sign in with a passkey" only."""
    page, member = passkey_page, world.member()
    _password_sign_in(page, member.email)
    _signed_in(page)
    _add_passkey(page, "This laptop")
    [credential] = _credentials(page)
    assert credential["isResidentCredential"] is True  # discoverable: found without typing an address
    page.get_by_role("link", name="Rename or change how it is used").click()
    page.get_by_label("Use this passkey to sign in without a password").check()
    page.get_by_role("button", name="Save passkey").click()
    expect(page.get_by_text("Signs you in without a password.")).to_be_visible()
    sign_out(page)
    page.goto("/login")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_text("You are signed in.")).to_be_visible()
    _signed_in(page)
    page.goto("/account/passkeys")
    expect(page.locator(".passkey-item")).to_contain_text("Last used")
    assert _credentials(page)[0]["signCount"] >= 2  # the registration and the sign-in


def test_password_then_passkey_as_the_second_step_then_remove_it(passkey_page: Page) -> None:
    """With a passkey, the password leads to the two-factor page, where the passkey finishes the sign-in; once it
    is removed, the password alone signs in again."""
    page, member = passkey_page, world.member()
    _password_sign_in(page, member.email)
    _signed_in(page)
    _add_passkey(page, "Security key")
    sign_out(page)
    _password_sign_in(page, member.email)
    expect(page).to_have_url(re.compile(r"^http://localhost:\d+/login/two-factor$"))
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).not_to_be_attached()
    _fits_a_phone_and_passes_axe(page)
    page.get_by_role("button", name="Use a passkey or security key instead").click()
    expect(page.get_by_text("You are signed in.")).to_be_visible()
    _signed_in(page)
    page.goto("/account/passkeys")
    _fits_a_phone_and_passes_axe(page)
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("The passkey “Security key” is removed")).to_be_visible()
    expect(page.get_by_text("You have no passkeys yet.")).to_be_visible()
    sign_out(page)
    _password_sign_in(page, member.email)
    _signed_in(page)


def test_a_second_step_passkey_does_not_sign_in_alone(passkey_page: Page) -> None:
    """A passkey left at its default is refused on the sign-in page, which says what to do instead."""
    page, member = passkey_page, world.member()
    _password_sign_in(page, member.email)
    _add_passkey(page, "Phone")
    sign_out(page)
    page.goto("/login")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("alert")).to_contain_text("second step after your password")
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).not_to_be_attached()
