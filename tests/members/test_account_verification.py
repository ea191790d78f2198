"""E-mail verification on sign-up (KINDRED_VERIFY_EMAIL on): read-only until the mailed link is opened."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import permissions
from app.extensions import db
from app.models import Flag, HelpfulMark, Member, Post, Topic
from app.services.members import tokens
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import aged_token, browser, last_link, outbox, tampered

NEW_PASSWORD = "quiet meadow lantern"  # noqa: S105


@pytest.fixture
def app_overrides() -> dict:
    return {"VERIFY_EMAIL": True}


def page(response) -> str:  # noqa: ANN001
    return html.unescape(response.get_data(as_text=True))


def sign_up(client, email: str = "rowan@example.org"):  # noqa: ANN001, ANN201
    return client.post_form(
        "/register",
        {
            "email": email,
            "display_name": "Rowan",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
            "accept_guidelines": "y",
        },
        follow_redirects=True,
    )


def _member(email: str = "rowan@example.org") -> Member:
    db.session.rollback()
    return db.session.scalar(select(Member).where(Member.email == email))


def test_sign_up_sends_a_verification_link_and_leaves_the_address_unconfirmed(client) -> None:
    """A new member is signed in, unconfirmed, and gets one e-mail with a link to confirm."""
    response = sign_up(client)
    assert "Please confirm your address with the link we e-mailed you." in page(response)
    assert _member().email_verified_at is None
    [mail] = outbox("rowan@example.org")
    assert "/verify-email/" in mail.body_text
    assert "Please confirm your e-mail address" in mail.subject


@pytest.mark.parametrize("app_overrides", [{"VERIFY_EMAIL": False}])
def test_without_verification_new_members_count_as_confirmed(client) -> None:
    """With KINDRED_VERIFY_EMAIL off, sign-up sends no mail and the address counts as confirmed."""
    sign_up(client)
    assert _member().email_verified_at is not None
    assert outbox() == []


def test_operator_created_members_count_as_confirmed(app: Flask, runner) -> None:
    """Members made with `create-member` (and the demo data) need no confirmation."""
    result = runner.invoke(
        args=["create-member", "--email", "op@example.org", "--display-name", "Opal", "--password", NEW_PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert _member("op@example.org").email_verified_at is not None
    assert outbox() == []


def test_the_link_confirms_the_address(client) -> None:
    """Opening the mailed link confirms the address and says so."""
    sign_up(client)
    response = client.get(last_link("rowan@example.org"), follow_redirects=True)
    assert "your e-mail address is confirmed" in page(response)
    assert _member().email_verified_at is not None


def test_the_link_works_once(client) -> None:
    """Opening the link again answers 400 with a clear message and changes nothing."""
    sign_up(client)
    link = last_link("rowan@example.org")
    client.get(link)
    confirmed_at = _member().email_verified_at
    response = client.get(link)
    assert response.status_code == 400
    assert "already confirmed" in page(response)
    assert _member().email_verified_at == confirmed_at


def test_an_expired_link_is_refused(client) -> None:
    """A link older than three days answers 400, says it expired, and the address stays unconfirmed."""
    sign_up(client)
    member = _member()
    payload = {"m": member.id, "e": tokens.fingerprint(member.email)}
    response = client.get(f"/verify-email/{aged_token(tokens.VERIFY_EMAIL, payload, timedelta(days=3, hours=1))}")
    assert response.status_code == 400
    assert tokens.EXPIRED in page(response)
    assert _member().email_verified_at is None


@pytest.mark.parametrize("how", ["tampered", "other purpose", "garbage", "too long"])
def test_a_forged_link_is_refused(client, how: str) -> None:
    """An altered link, a token made for another purpose, or junk: 400, clear message, nothing changed."""
    sign_up(client)
    member = _member()
    forged = {
        "tampered": tampered(last_link(member.email)),
        "other purpose": "/verify-email/"
        + tokens.make_token(tokens.PASSWORD_RESET, {"m": member.id, "e": tokens.fingerprint(member.email)}),
        "garbage": "/verify-email/%00%3Cscript%3E",
        "too long": "/verify-email/" + "a" * 2000,
    }[how]
    response = client.get(forged)
    assert response.status_code == 400
    assert tokens.INVALID in page(response)
    assert _member().email_verified_at is None


def _count(model) -> int:  # noqa: ANN001
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("action", ["start topic", "reply", "flag", "mark helpful"])
def test_unconfirmed_members_cannot_take_part(app: Flask, action: str) -> None:
    """Until confirmed, posting, replying, flagging and marking helpful are refused with the reason; nothing stored."""
    newcomer = make_member(email_verified_at=None)
    group = make_group(members=(newcomer,))
    topic = make_topic(group=group)
    reply = make_post(topic=topic)
    client = browser(app, newcomer)
    before = (_count(Topic), _count(Post), _count(Flag), _count(HelpfulMark))
    url, data = {
        "start topic": (f"/g/{group.slug}/new", {"title": "A question", "body": "Hello everyone"}),
        "reply": (f"/t/{topic.id}/reply", {"body": "Thank you"}),
        "flag": (f"/p/{reply.id}/flag", {"reason": "spam", "details": ""}),
        "mark helpful": (f"/p/{reply.id}/helpful", {}),
    }[action]
    response = client.post_form(url, data, follow_redirects=True)
    assert permissions.UNCONFIRMED in page(response)
    assert (_count(Topic), _count(Post), _count(Flag), _count(HelpfulMark)) == before


def test_unconfirmed_members_cannot_start_private_conversations(app: Flask) -> None:
    """The same rung closes private messages until the address is confirmed."""
    newcomer = make_member(email_verified_at=None)
    assert permissions.why_not(newcomer, "start_conversation", None) == permissions.UNCONFIRMED


def test_unconfirmed_members_can_read(app: Flask) -> None:
    """Reading stays open: group and topic pages answer 200."""
    newcomer = make_member(email_verified_at=None)
    topic = make_topic()
    client = browser(app, newcomer)
    assert client.get(f"/t/{topic.id}/{topic.slug}").status_code == 200
    assert client.get(f"/g/{topic.group.slug}").status_code == 200


def test_confirmed_members_can_post(app: Flask) -> None:
    """After confirming, the same member replies normally."""
    sign_up_client = app.test_client()
    sign_up(sign_up_client)
    sign_up_client.get(last_link("rowan@example.org"))
    member = _member()
    topic = make_topic(group=make_group(members=(member,)))
    assert permissions.why_not(member, "reply", (topic, True)) is None


@pytest.mark.parametrize("app_overrides", [{"VERIFY_EMAIL": False}])
def test_the_rung_is_off_when_verification_is_off(app: Flask) -> None:
    """With verification switched off, an unconfirmed address no longer stops anyone."""
    member = make_member(email_verified_at=None)
    topic = make_topic(group=make_group(members=(member,)))
    assert permissions.why_not(member, "reply", (topic, True)) is None
    assert permissions.why_not(member, "resend_verification", None) is not None


def test_unconfirmed_members_see_a_banner_with_a_resend_button(app: Flask) -> None:
    """Every page reminds an unconfirmed member and offers to send the e-mail again; confirmed members see nothing."""
    assert "Send the e-mail again" in page(browser(app, make_member(email_verified_at=None)).get("/"))
    assert "Send the e-mail again" not in page(browser(app, make_member()).get("/"))


def test_resend_queues_a_new_link(app: Flask) -> None:
    """The resend button queues another verification e-mail."""
    newcomer = make_member(email_verified_at=None)
    response = browser(app, newcomer).post_form("/account/verify-email/resend", follow_redirects=True)
    assert "We sent the link again" in page(response)
    assert len(outbox(newcomer.email)) == 1


def test_resend_is_refused_to_confirmed_members(app: Flask) -> None:
    """A confirmed member gets 403 from the resend action and no mail."""
    response = browser(app, make_member()).post_form("/account/verify-email/resend")
    assert response.status_code == 403
    assert outbox() == []


@pytest.mark.parametrize("app_overrides", [{"VERIFY_EMAIL": True, "RATELIMIT_ENABLED": True}])
def test_resend_is_rate_limited(app: Flask) -> None:
    """Three resends an hour; the fourth answers 429 with Retry-After and sends nothing."""
    newcomer = make_member(email_verified_at=None)
    client = browser(app, newcomer)
    for _ in range(3):
        assert client.post_form("/account/verify-email/resend").status_code == 302
    response = client.post_form("/account/verify-email/resend")
    assert response.status_code == 429
    assert len(outbox(newcomer.email)) == 3


def test_resend_without_csrf_token_is_refused(app: Flask) -> None:
    """The resend action is a form: without its CSRF token it answers 400 and sends nothing."""
    client = browser(app, make_member(email_verified_at=None))
    assert client.post("/account/verify-email/resend").status_code == 400
    assert outbox() == []
