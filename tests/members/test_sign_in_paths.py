"""How the ways of signing in join: every first factor ends in the second factor the member enrolled, and a second
factor also confirms a session before a sensitive action (for members without a password, the only way)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import update

from app.extensions import db
from app.models import LoginSession, Member
from app.models.base import utcnow
from app.models.passkeys import Passkey
from app.services.members import passwords
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_member
from tests.members.two_factor_support import code_now, enrol
from tests.support import browser, last_link, page_text


def _signed_in(client: FormClient) -> bool:
    return client.get("/account").status_code == 200


def _stale(member: Member) -> None:
    """The member's sessions last proved a factor an hour ago."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.member_id == member.id)
        .values(confirmed_at=utcnow() - timedelta(hours=1))
    )
    db.session.commit()


@pytest.mark.parametrize("app_overrides", [{"EMAIL_LOGIN": True}], ids=["email-login"])
def test_an_email_link_still_asks_for_the_second_factor(app: Flask, client: FormClient) -> None:
    member = make_member()
    enrol(member)
    assert client.post_form("/login/email-link", {"email": member.email}).status_code == 302
    response = client.post_form(last_link(member.email))
    assert response.status_code == 302 and urlsplit(response.location).path == "/login/two-factor"
    assert not _signed_in(client)
    assert client.post_form("/login/two-factor", {"code": code_now(member)}).status_code == 302
    assert _signed_in(client)


def test_a_passkey_only_member_is_not_offered_a_code_field(app: Flask, client: FormClient) -> None:
    """The code form is for authenticator apps; a member with only a passkey sees the passkey button alone."""
    member = make_member()
    db.session.add(Passkey(member_id=member.id, credential_id=b"k1", public_key=b"k", user_handle=b"h", name="Key"))
    db.session.commit()
    response = client.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert urlsplit(response.location).path == "/login/two-factor"
    two_factor_page = client.get("/login/two-factor")
    assert 'name="code"' not in two_factor_page.get_data(as_text=True)
    assert "Use a passkey or security key instead" in page_text(two_factor_page)


def test_an_authenticator_code_confirms_a_sensitive_action(app: Flask) -> None:
    member = make_member()
    enrol(member)
    rosa = browser(app, member)
    _stale(member)
    response = rosa.get("/account/password")
    assert urlsplit(response.location).path == "/account/confirm"
    assert "/account/confirm/code" in rosa.get(response.location).get_data(as_text=True)
    wrong = rosa.post_form("/account/confirm/code?next=/account/password", {"code": "000000"})
    assert wrong.status_code == 422
    assert rosa.get("/account/password").status_code == 302  # still not confirmed
    right = rosa.post_form("/account/confirm/code?next=/account/password", {"code": code_now(member)})
    assert right.status_code == 302 and right.location == "/account/password"
    assert rosa.get("/account/password").status_code == 200


def test_a_member_without_a_password_confirms_with_their_code_only(app: Flask) -> None:
    member = make_member()
    member.password_hash = passwords.UNUSABLE_HASH
    db.session.commit()
    enrol(member)
    rosa = browser(app, member)
    _stale(member)
    confirm_page = rosa.get("/account/confirm?next=/privacy/export")
    body = confirm_page.get_data(as_text=True)
    assert 'name="password"' not in body and "/account/confirm/code" in body
    assert rosa.post_form("/account/confirm?next=/privacy/export", {"password": "!"}).status_code == 422


def test_the_code_confirmation_needs_an_authenticator(app: Flask) -> None:
    rosa = browser(app, make_member())
    response = rosa.get("/account/confirm/code?next=/account/password")
    assert response.status_code == 302 and urlsplit(response.location).path == "/account/confirm"


def test_starting_two_factor_and_removing_a_passkey_ask_for_confirmation(app: Flask) -> None:
    member = make_member()
    db.session.add(Passkey(member_id=member.id, credential_id=b"k2", public_key=b"k", user_handle=b"h2", name="Key"))
    db.session.commit()
    passkey_id = db.session.query(Passkey.id).scalar()
    rosa = browser(app, member)
    _stale(member)
    for path in ("/account/two-factor/start", f"/account/passkeys/{passkey_id}/remove"):
        response = rosa.post_form(path)
        assert response.status_code == 303 and urlsplit(response.location).path == "/account/confirm", path
    assert db.session.get(Passkey, passkey_id) is not None
