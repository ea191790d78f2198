"""The account hub: change the password (other sessions end) and the e-mail address (confirmed at the new one)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from flask import Flask

from app.services.members import tokens
from app.services.members.account import WRONG_PASSWORD
from app.services.members.account_mail import change_email_token
from app.services.members.accounts import EMAIL_TAKEN
from tests.factories import PASSWORD, make_member
from tests.support import aged_token, browser, last_link, outbox, page, tampered

NEW_PASSWORD = "harbour willow compass"  # noqa: S105
NEW_EMAIL = "new.home@example.org"


def _change_password(client, current: str = PASSWORD, new: str = NEW_PASSWORD, repeat: str | None = None):  # noqa: ANN001, ANN201
    data = {"current_password": current, "password": new, "password_confirm": repeat or new}
    return client.post_form("/account/password", data)


def _change_email(client, email: str = NEW_EMAIL, current: str = PASSWORD):  # noqa: ANN001, ANN201
    return client.post_form("/account/email", {"email": email, "current_password": current})


# --- the hub ------------------------------------------------------------------------------------------------------


def test_hub_shows_the_address_and_links_the_account_pages(app: Flask) -> None:
    """/account shows the member's own address and the navigation to the account pages."""
    member = make_member(email="hub@example.org")
    body = page(browser(app, member).get("/account"))
    assert "hub@example.org" in body
    for href in ('href="/account/password"', 'href="/account/email"'):
        assert href in body


@pytest.mark.parametrize("url", ["/account", "/account/password", "/account/email"])
def test_account_pages_send_visitors_to_sign_in(client, url: str) -> None:
    """Visitors are sent to sign in, and come back afterwards."""
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


# --- password -----------------------------------------------------------------------------------------------------


def test_change_password_keeps_this_session_and_ends_the_others(app: Flask, login_sessions, reloaded) -> None:
    """SECURITY 3: a password change signs out every other browser of the account, not this one (ASVS 3.3.3)."""
    member = make_member()
    here, elsewhere, someone_else = browser(app, member), browser(app, member), browser(app, make_member())
    response = _change_password(here)
    assert response.status_code == 302
    assert "1 other signed-in browser was signed out" in page(here.get("/account"))
    assert login_sessions(member) == 1
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302  # to sign in
    assert someone_else.get("/account").status_code == 200
    assert PasswordHasher().verify(reloaded(member).password_hash, NEW_PASSWORD)


def test_change_password_mails_a_notice(app: Flask) -> None:
    """The member is told by e-mail that their password changed."""
    member = make_member()
    _change_password(browser(app, member))
    [notice] = outbox(member.email)
    assert notice.subject.startswith("Your password was changed")
    assert NEW_PASSWORD not in notice.body_text


@pytest.mark.parametrize(
    ("current", "new", "repeat", "message"),
    [
        ("not my password", NEW_PASSWORD, None, WRONG_PASSWORD),
        (PASSWORD, PASSWORD, None, "different from your current one"),
        (PASSWORD, "short", None, "at least 10 characters"),
        (PASSWORD, "password123", None, "too common"),
        (PASSWORD, NEW_PASSWORD, "a different repeat", "The two passwords differ."),
        ("", NEW_PASSWORD, None, "Enter your current password."),
    ],
)
def test_bad_password_changes_are_refused(app: Flask, current: str, new: str, repeat, message: str, reloaded) -> None:  # noqa: ANN001
    """Wrong current password, the same password, weak or mismatched ones: 422, the reason, nothing changed."""
    member = make_member()
    other_browser = browser(app, member)
    response = _change_password(browser(app, member), current, new, repeat)
    assert response.status_code == 422
    assert message in page(response)
    assert reloaded(member).password_hash == member.password_hash
    assert other_browser.get("/account").status_code == 200
    assert outbox() == []


@pytest.mark.parametrize("url", ["/account/password", "/account/email"])
def test_account_forms_without_csrf_token_are_refused(app: Flask, url: str, reloaded) -> None:
    """Without the CSRF token the forms answer 400 and change nothing (SECURITY 1)."""
    member = make_member()
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    response = browser(app, member).post(url, data={**data, "email": NEW_EMAIL})
    assert response.status_code == 400
    fresh = reloaded(member)
    assert (fresh.password_hash, fresh.email, fresh.pending_email) == (member.password_hash, member.email, None)


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}], ids=["rate-limited"])
def test_guessing_the_current_password_is_rate_limited(app: Flask) -> None:
    """Ten tries an hour per member; the eleventh answers 429."""
    client = browser(app, make_member())
    statuses = [_change_password(client, current=f"guess number {n}").status_code for n in range(11)]
    assert statuses == [422] * 10 + [429]


# --- e-mail address -----------------------------------------------------------------------------------------------


def test_change_email_sends_a_link_to_the_new_address_and_a_notice_to_the_old(app: Flask, reloaded) -> None:
    """The new address gets a confirmation link, the old one a notice without the new address; nothing changes yet."""
    member = make_member(email="old.home@example.org")
    response = _change_email(browser(app, member))
    assert response.status_code == 302
    fresh = reloaded(member)
    assert (fresh.email, fresh.pending_email) == ("old.home@example.org", NEW_EMAIL)
    [confirm] = outbox(NEW_EMAIL)
    assert "/account/email/confirm/" in confirm.body_text
    [notice] = outbox("old.home@example.org")
    assert NEW_EMAIL not in notice.body_text and "confirm/" not in notice.body_text


def test_the_confirmation_link_changes_the_address(app: Flask, reloaded) -> None:
    """Opening the link switches the address (and counts it as confirmed); signing in uses the new address."""
    member = make_member(email="old.home@example.org")
    client = browser(app, member)
    _change_email(client)
    response = client.get(last_link(NEW_EMAIL), follow_redirects=True)
    assert "Your e-mail address is changed." in page(response)
    fresh = reloaded(member)
    assert (fresh.email, fresh.pending_email) == (NEW_EMAIL, None)
    assert fresh.email_verified_at is not None
    assert browser(app).post_form("/login", {"email": NEW_EMAIL, "password": PASSWORD}).status_code == 302


def test_the_confirmation_link_works_signed_out(app: Flask, client, reloaded) -> None:
    """The link works in a browser that is not signed in (another device), then offers to sign in."""
    member = make_member()
    _change_email(browser(app, member))
    response = client.get(last_link(NEW_EMAIL))
    assert response.status_code == 302 and response.location.endswith("/login")
    assert reloaded(member).email == NEW_EMAIL


def test_the_confirmation_link_works_once(app: Flask, reloaded) -> None:
    """Opened again, the link answers 400 and changes nothing."""
    member = make_member()
    client = browser(app, member)
    _change_email(client)
    link = last_link(NEW_EMAIL)
    client.get(link)
    response = client.get(link)
    assert response.status_code == 400
    assert tokens.INVALID in page(response)
    assert reloaded(member).email == NEW_EMAIL


def test_a_newer_request_voids_the_older_link(app: Flask, reloaded) -> None:
    """Only the latest requested address can be confirmed: the first link stops working."""
    member = make_member()
    client = browser(app, member)
    _change_email(client)
    first = last_link(NEW_EMAIL)
    _change_email(client, "second.home@example.org")
    assert client.get(first).status_code == 400
    assert reloaded(member).email == member.email


def test_an_expired_confirmation_link_is_refused(app: Flask, reloaded) -> None:
    """A link older than a day answers 400, says it expired, and the address stays."""
    member = make_member()
    client = browser(app, member)
    _change_email(client)
    payload = {"m": member.id, "o": tokens.fingerprint(member.email), "e": tokens.fingerprint(NEW_EMAIL)}
    response = client.get(
        "/account/email/confirm/" + aged_token(tokens.CHANGE_EMAIL, payload, timedelta(days=1, minutes=1))
    )
    assert response.status_code == 400
    assert tokens.EXPIRED in page(response)
    assert reloaded(member).email == member.email


def test_a_tampered_confirmation_link_is_refused(app: Flask, reloaded) -> None:
    """One changed character: 400 and nothing changed."""
    member = make_member()
    client = browser(app, member)
    _change_email(client)
    assert client.get(tampered(last_link(NEW_EMAIL))).status_code == 400
    assert reloaded(member).email == member.email


def test_an_address_taken_meanwhile_is_refused_at_confirmation(app: Flask, reloaded) -> None:
    """If someone signs up with the address before the link is opened, the change is refused, neutrally."""
    member = make_member()
    client = browser(app, member)
    _change_email(client)
    link = last_link(NEW_EMAIL)
    make_member(email=NEW_EMAIL)
    response = client.get(link)
    assert response.status_code == 400
    assert EMAIL_TAKEN in page(response)
    assert reloaded(member).email == member.email


@pytest.mark.parametrize(
    ("email", "current", "message"),
    [
        (NEW_EMAIL, "not my password", WRONG_PASSWORD),
        ("SAME@example.org", PASSWORD, "That is already your e-mail address."),
        ("taken@example.org", PASSWORD, EMAIL_TAKEN),
        ("not an address", PASSWORD, "Enter a valid e-mail address."),
    ],
)
def test_bad_email_changes_are_refused(app: Flask, email: str, current: str, message: str, reloaded) -> None:
    """Wrong password, the same address (any case), a taken or invalid one: 422, the reason, no mail, no change."""
    member = make_member(email="same@example.org")
    make_member(email="taken@example.org")
    response = _change_email(browser(app, member), email, current)
    assert response.status_code == 422
    assert message in page(response)
    assert reloaded(member).pending_email is None
    assert outbox() == []


def test_a_taken_address_gets_the_same_words_as_at_registration(app: Flask, client) -> None:
    """Sign-up and change of address refuse a taken address with one and the same sentence."""
    make_member(email="taken@example.org")
    data = {"email": "taken@example.org", "display_name": "Someone New", "password": NEW_PASSWORD}
    registration = client.post_form("/register", {**data, "password_confirm": NEW_PASSWORD, "accept_guidelines": "y"})
    change = _change_email(browser(app, make_member()), "taken@example.org")
    assert EMAIL_TAKEN in page(registration) and EMAIL_TAKEN in page(change)


def test_a_link_for_another_members_change_cannot_be_forged(app: Flask, reloaded) -> None:
    """A token bound to one member's addresses does nothing for another member, even with their id swapped in."""
    member, other = make_member(), make_member()
    client = browser(app, member)
    _change_email(client)
    genuine = change_email_token(reloaded(member), NEW_EMAIL)
    payload = {"m": other.id, "o": tokens.fingerprint(member.email), "e": tokens.fingerprint(NEW_EMAIL)}
    assert client.get("/account/email/confirm/" + tokens.make_token(tokens.CHANGE_EMAIL, payload)).status_code == 400
    assert reloaded(other).email == other.email
    assert client.get("/account/email/confirm/" + genuine).status_code == 302
