"""Forgotten passwords: the same answer for every address, a single-use expiring link, every session ended."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from flask import Flask

from app.account.recovery import RESET_SENT
from app.models import Member
from app.services.members import tokens
from app.services.members.account_mail import reset_token
from tests.factories import PASSWORD, make_member
from tests.support import aged_token, browser, last_link, outbox, page, tampered

NEW_PASSWORD = "orchard lantern meadow"  # noqa: S105


def _reset_link(client, member: Member) -> str:  # noqa: ANN001
    client.post_form("/password-reset", {"email": member.email})
    return last_link(member.email)


def _choose(client, link: str, password: str = NEW_PASSWORD, repeat: str | None = None):  # noqa: ANN001, ANN201
    return client.post_form(link, {"password": password, "password_confirm": repeat or password})


def test_login_page_links_to_the_reset_page(client) -> None:
    """The sign-in page offers "Forgot your password?"."""
    assert 'href="/password-reset">Forgot your password?</a>' in page(client.get("/login"))


def test_known_and_unknown_addresses_get_the_same_answer(app: Flask, client) -> None:
    """Whether an account uses the address or not, the visitor sees the same page; only a real account gets mail."""
    member = make_member(email="known@example.org")
    answers = []
    for email in (member.email, "unknown@example.org"):
        response = client.post_form("/password-reset", {"email": email}, follow_redirects=True)
        answers.append((response.status_code, RESET_SENT in page(response)))
    assert answers == [(200, True), (200, True)]
    assert [m.to_address for m in outbox()] == ["known@example.org"]


def test_an_invalid_address_is_answered_like_any_other(client) -> None:
    """Even a malformed address gets the neutral answer, and no mail is queued."""
    response = client.post_form("/password-reset", {"email": "not an address"}, follow_redirects=True)
    assert RESET_SENT in page(response)
    assert outbox() == []


def test_the_link_sets_the_new_password(app: Flask, client, reloaded) -> None:
    """Following the link and choosing a password stores it, and the member signs in with it."""
    member = make_member()
    response = _choose(client, _reset_link(client, member))
    assert response.status_code == 302 and response.location.endswith("/login")
    assert PasswordHasher().verify(reloaded(member).password_hash, NEW_PASSWORD)
    assert browser(app).post_form("/login", {"email": member.email, "password": NEW_PASSWORD}).status_code == 302


def test_the_reset_ends_every_session(app: Flask, client, login_sessions) -> None:
    """Using the link signs the account out everywhere, including the browser that used it, and says so by mail."""
    member = make_member()
    elsewhere = browser(app, member)
    client.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert login_sessions(member) == 2
    _choose(client, _reset_link(client, member))
    assert login_sessions(member) == 0
    assert elsewhere.get("/account").status_code == 302  # sent to sign in
    assert outbox(member.email)[-1].subject.startswith("Your password was changed")


def test_the_link_works_once(app: Flask, client, reloaded) -> None:
    """After one reset, the same link answers 400 with a clear message and the password stays the new one."""
    member = make_member()
    link = _reset_link(client, member)
    _choose(client, link)
    hash_after = reloaded(member).password_hash
    response = _choose(client, link, "another long passphrase")
    assert response.status_code == 400
    assert tokens.INVALID in page(response)
    assert reloaded(member).password_hash == hash_after


def test_an_expired_link_is_refused(app: Flask, client, reloaded) -> None:
    """A link older than an hour answers 400, says it expired, and changes nothing."""
    member = make_member()
    payload = {"m": member.id, "p": tokens.fingerprint(member.password_hash)}
    link = "/password-reset/" + aged_token(tokens.PASSWORD_RESET, payload, timedelta(hours=1, minutes=1))
    for response in (client.get(link), _choose(client, link)):
        assert response.status_code == 400
        assert tokens.EXPIRED in page(response)
    assert reloaded(member).password_hash == member.password_hash


@pytest.mark.parametrize("how", ["tampered", "verification token", "unknown member", "garbage"])
def test_a_forged_link_is_refused(app: Flask, client, how: str, reloaded) -> None:
    """An altered link, a token of another purpose, or one naming no account: refused, nothing changed."""
    member, other = make_member(), make_member()
    link = {
        "tampered": tampered("/password-reset/" + reset_token(member)),
        "verification token": "/password-reset/"
        + tokens.make_token(tokens.VERIFY_EMAIL, {"m": member.id, "p": tokens.fingerprint(member.password_hash)}),
        "unknown member": "/password-reset/"
        + tokens.make_token(tokens.PASSWORD_RESET, {"m": 10**9, "p": tokens.fingerprint(member.password_hash)}),
        "garbage": "/password-reset/..%2F..%2Fetc",
    }[how]
    response = _choose(client, link)
    assert response.status_code in (400, 404)
    assert reloaded(member).password_hash == member.password_hash
    assert reloaded(other).password_hash == other.password_hash


@pytest.mark.parametrize(
    ("password", "repeat", "message"),
    [
        ("short", None, "at least 10 characters"),
        ("password123", None, "too common"),
        (NEW_PASSWORD, "something else entirely", "The two passwords differ."),
    ],
)
def test_weak_or_mismatched_passwords_are_refused(
    app: Flask, client, password: str, repeat, message: str, reloaded
) -> None:  # noqa: ANN001
    """The usual password rules apply; the link stays usable and nothing changes."""
    member = make_member()
    link = _reset_link(client, member)
    response = _choose(client, link, password, repeat)
    assert response.status_code == 422
    assert message in page(response)
    assert reloaded(member).password_hash == member.password_hash
    assert client.get(link).status_code == 200


def test_reset_form_without_csrf_token_is_refused(app: Flask, client, reloaded) -> None:
    """The new-password form needs its CSRF token: 400 and nothing changed."""
    member = make_member()
    link = _reset_link(client, member)
    response = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert reloaded(member).password_hash == member.password_hash


RATE_LIMITED = pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}], ids=["rate-limited"])


@RATE_LIMITED
def test_requests_are_limited_per_address(app: Flask, client) -> None:
    """Three requests an hour for one address; the fourth answers 429 and queues nothing, known address or not."""
    member = make_member()
    for email in (member.email, "nobody@example.org"):
        statuses = [client.post_form("/password-reset", {"email": email.upper()}).status_code for _ in range(4)]
        assert statuses == [302, 302, 302, 429]
    assert len(outbox(member.email)) == 3


@RATE_LIMITED
def test_requests_are_limited_per_ip(app: Flask, client) -> None:
    """Ten requests an hour from one IP address, whatever addresses they name."""
    statuses = [client.post_form("/password-reset", {"email": f"p{n}@example.org"}).status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]


def test_logs_hold_no_token_address_or_password(app: Flask, client, caplog: pytest.LogCaptureFixture) -> None:
    """Requesting and using a reset link logs no address, token or password."""
    caplog.set_level(logging.DEBUG)
    member = make_member(email="private.person@example.org")
    link = _reset_link(client, member)
    _choose(client, link)
    token = link.rsplit("/", 1)[1]
    for secret in ("private.person", token, NEW_PASSWORD):
        assert secret not in caplog.text


# CSRF off here: the test client keeps cookies per host, so a form from localhost has no session at evil.example.
@pytest.mark.parametrize(
    "app_overrides", [{"BASE_URL": "https://forum.example.org", "WTF_CSRF_ENABLED": False}], ids=["base-url"]
)
def test_links_use_the_base_url_never_the_host_header(app: Flask, client) -> None:
    """A forged Host header cannot point a member's reset link at another site (reset poisoning)."""
    member = make_member()
    response = client.post("/password-reset", data={"email": member.email}, headers={"Host": "evil.example"})
    assert response.status_code == 302
    assert "https://forum.example.org/password-reset/" in outbox(member.email)[0].body_text
    assert "evil.example" not in outbox(member.email)[0].body_text


def test_real_mail_without_a_base_url_never_uses_a_forged_host(app: Flask) -> None:
    """Without KINDRED_BASE_URL, even outside tests, a link never starts with an unchecked Host header."""
    app.testing, app.config["BASE_URL"] = False, ""
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        link = tokens.external_url("account.forgot_password")
    assert link == "http://localhost/password-reset"
