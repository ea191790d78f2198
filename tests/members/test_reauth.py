"""Sensitive actions ask for the password again once this browser's last proof is older than REAUTH_SECONDS:
the window, the confirmation page (wrong passwords refused and throttled, the right one returns to the form),
and each guarded action."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.extensions import db
from app.models import LoginSession, Member, MemberStatus, ModeratorScope, Role
from app.models.base import utcnow
from app.services.members import confirmation
from app.services.members.accounts import load_session
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_group, make_member
from tests.support import browser

NEW_PASSWORD = "a quiet walk by the river"  # noqa: S105


def _confirmed_ago(member: Member, age: timedelta | None) -> None:
    """Set back when the member's sessions last proved the password (None: never, as for older sessions)."""
    when = None if age is None else utcnow() - age
    db.session.execute(update(LoginSession).where(LoginSession.member_id == member.id).values(confirmed_at=when))
    db.session.commit()


def _to_confirm(response) -> str | None:  # noqa: ANN001
    """The `next` of a redirect to the confirmation page, or None when the response is no such redirect."""
    if response.status_code not in (302, 303) or urlsplit(response.location).path != "/account/confirm":
        return None
    return parse_qs(urlsplit(response.location).query).get("next", [""])[0]


def _confirmed_at(member: Member):  # noqa: ANN202
    db.session.rollback()
    return db.session.scalar(select(LoginSession.confirmed_at).where(LoginSession.member_id == member.id))


@pytest.fixture
def member(app: Flask) -> Member:
    return make_member(display_name="Rosa Reader")


@pytest.fixture
def rosa(app: Flask, member: Member) -> FormClient:
    """Rosa's browser, signed in."""
    return browser(app, member)


def test_sign_in_confirms_the_session(app: Flask, member: Member, rosa: FormClient) -> None:
    """A fresh sign-in counts as a confirmation: the sensitive page opens straight away."""
    assert _confirmed_at(member) is not None
    assert rosa.get("/account/password").status_code == 200


def test_within_the_window_the_page_opens(app: Flask, member: Member, rosa: FormClient) -> None:
    """Nine minutes after the last confirmation nothing more is asked."""
    _confirmed_ago(member, timedelta(minutes=9))
    assert rosa.get("/account/password").status_code == 200


@pytest.mark.parametrize("age", [timedelta(minutes=11), None], ids=["eleven-minutes", "never"])
def test_after_the_window_the_page_asks_to_confirm(app: Flask, member: Member, rosa: FormClient, age) -> None:  # noqa: ANN001
    """Eleven minutes later, or in a session that never confirmed, the page sends the member to confirm first."""
    _confirmed_ago(member, age)
    assert _to_confirm(rosa.get("/account/password")) == "/account/password"
    page = rosa.get("/account/confirm?next=/account/password")
    assert page.status_code == 200
    assert 'name="password"' in page.get_data(as_text=True)


@pytest.mark.parametrize("app_overrides", [{"REAUTH_SECONDS": 60}], ids=["one-minute"])
def test_the_window_follows_the_setting(app: Flask, member: Member, rosa: FormClient) -> None:
    """REAUTH_SECONDS shortens the window: two minutes is then too long ago."""
    _confirmed_ago(member, timedelta(minutes=2))
    assert _to_confirm(rosa.get("/account/password")) == "/account/password"


def test_right_password_confirms_and_returns_to_the_form(app: Flask, member: Member, rosa: FormClient) -> None:
    """The password confirms this session and leads back to where the member was going."""
    _confirmed_ago(member, timedelta(hours=1))
    response = rosa.post_form("/account/confirm?next=/account/password", {"password": PASSWORD})
    assert response.status_code == 302 and response.location == "/account/password"
    assert utcnow() - _confirmed_at(member) < timedelta(seconds=30)
    assert rosa.get("/account/password").status_code == 200


def test_confirming_leads_only_to_this_site(app: Flask, member: Member, rosa: FormClient) -> None:
    """A `next` to another site is ignored: the member lands on their account page."""
    _confirmed_ago(member, timedelta(hours=1))
    response = rosa.post_form("/account/confirm?next=//evil.example/account", {"password": PASSWORD})
    assert response.location == "/account"


def test_wrong_password_is_refused_next_to_the_field(app: Flask, member: Member, rosa: FormClient) -> None:
    """A wrong password answers 422 with the message beside the field, and confirms nothing."""
    _confirmed_ago(member, timedelta(hours=1))
    response = rosa.post_form("/account/confirm?next=/account/password", {"password": "not my password at all"})
    assert response.status_code == 422
    assert "That is not your password." in response.get_data(as_text=True)
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert utcnow() - _confirmed_at(member) > timedelta(minutes=59)
    assert _to_confirm(rosa.get("/account/password")) is not None


def test_wrong_passwords_are_throttled(app: Flask, member: Member, rosa: FormClient) -> None:
    """After the fifth wrong password even the right one is refused for a while (429 with Retry-After)."""
    _confirmed_ago(member, timedelta(hours=1))
    for _ in range(5):
        assert rosa.post_form("/account/confirm", {"password": "guess guess guess"}).status_code == 422
    response = rosa.post_form("/account/confirm", {"password": PASSWORD})
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 30
    assert "Too many wrong passwords." in response.get_data(as_text=True)
    assert utcnow() - _confirmed_at(member) > timedelta(minutes=59)


def test_strangers_failing_sign_ins_do_not_block_confirming(app: Flask, member: Member, rosa: FormClient) -> None:
    """Wrong sign-ins for the member's address elsewhere lock that address's sign-in, not the member's confirmation."""
    stranger = browser(app)
    for _ in range(6):
        stranger.post_form("/login", {"email": member.email, "password": "guess guess guess"})
    assert stranger.post_form("/login", {"email": member.email, "password": PASSWORD}).status_code == 429
    _confirmed_ago(member, timedelta(hours=1))
    assert rosa.post_form("/account/confirm", {"password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    "app_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}], ids=["rate-limited"]
)
def test_confirmation_page_is_rate_limited(app: Flask, member: Member, rosa: FormClient) -> None:
    """Seven tries in a minute from one member get the 429 page, whatever the password."""
    for _ in range(6):
        assert rosa.post_form("/account/confirm", {"password": ""}).status_code == 422
    assert rosa.post_form("/account/confirm", {"password": PASSWORD}).status_code == 429


def test_interrupted_form_is_not_carried_out_and_the_member_is_told(
    app: Flask, member: Member, rosa: FormClient
) -> None:
    """A POST after the window changes nothing; after confirming, the member is back at the form (GET), told to
    send it again."""
    _confirmed_ago(member, timedelta(hours=1))
    before = db.session.get(Member, member.id).password_hash
    form = {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    response = rosa.post_form("/account/password", form)
    assert response.status_code == 303 and _to_confirm(response) == "/account/password"
    db.session.rollback()
    assert db.session.get(Member, member.id).password_hash == before
    page = rosa.get(response.location).get_data(as_text=True)
    assert "What you sent has not been saved yet." in page
    back = rosa.post_form("/account/confirm?next=/account/password", {"password": PASSWORD}, follow_redirects=True)
    assert back.request.path == "/account/password" and back.request.method == "GET"
    assert "please send the form again" in back.get_data(as_text=True)
    assert rosa.post_form("/account/password", form).status_code == 302
    db.session.rollback()
    assert db.session.get(Member, member.id).password_hash != before


def test_confirm_session_is_open_to_other_factors(app: Flask, member: Member) -> None:
    """confirm_session() (what a second factor's check calls) renews the confirmation of the member's session."""
    client = browser(app, member)
    _confirmed_ago(member, timedelta(hours=1))
    signed_in = load_session(client._session_value("_user_id"))  # the member as this browser's requests see them
    assert signed_in is not None and not confirmation.confirmed_recently(signed_in)
    confirmation.confirm_session(signed_in)
    assert confirmation.confirmed_recently(signed_in)
    assert client.get("/account/password").status_code == 200
    assert [method.name for method in confirmation.methods_for(member)] == ["password"]


# Every guarded action: (who, method, path, form data, the form page the member comes back to).
def _guarded(world: dict) -> dict[str, tuple[str, str, str, dict | None, str]]:
    target = world["target"]
    return {
        "password form": ("member", "GET", "/account/password", None, "/account/password"),
        "change password": (
            "member", "POST", "/account/password",
            {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
            "/account/password",
        ),
        "e-mail form": ("member", "GET", "/account/email", None, "/account/email"),
        "change e-mail": (
            "member", "POST", "/account/email", {"email": "new@example.org", "current_password": PASSWORD},
            "/account/email",
        ),
        "export page": ("member", "GET", "/account/export", None, "/account/export"),
        "export": ("member", "POST", "/account/export", {}, "/account/export"),
        "delete page": ("member", "GET", "/account/delete", None, "/account/delete"),
        "delete account": ("member", "POST", "/account/delete", {"password": PASSWORD}, "/account/delete"),
        "suspend": (
            "moderator", "POST", f"/mod/members/{target}/suspend", {"reason": "Spam"}, f"/mod/members/{target}",
        ),
        "moderator's groups": (
            "staff", "POST", f"/mod/members/{world['moderator']}/groups", {"groups": str(world["group"])},
            f"/mod/members/{world['moderator']}",
        ),
    }  # fmt: skip


GUARDED = [
    "password form", "change password", "e-mail form", "change e-mail", "export page", "export", "delete page",
    "delete account", "suspend", "moderator's groups",
]  # fmt: skip


def _snapshot() -> list:
    db.session.rollback()
    members = db.session.scalars(select(Member).order_by(Member.id))
    rows = [(m.id, m.email, m.pending_email, m.password_hash, m.status) for m in members]
    return [rows, list(db.session.execute(select(ModeratorScope.member_id, ModeratorScope.group_id)))]


@pytest.mark.parametrize("action", GUARDED)
def test_each_sensitive_action_is_guarded(app: Flask, action: str) -> None:
    """Each sensitive page and action, after the window, goes to the confirmation first and changes nothing; once
    confirmed, the same request goes through."""
    roles = {"member": Role.MEMBER, "moderator": Role.MODERATOR, "staff": Role.STAFF}
    actors = {name: make_member(role=role) for name, role in roles.items()}
    world = {"target": make_member().id, "moderator": actors["moderator"].id, "group": make_group().id}
    who, method, path, data, form_page = _guarded(world)[action]
    client = browser(app, actors[who])
    _confirmed_ago(actors[who], timedelta(minutes=11))
    before = _snapshot()
    response = client.post_form(path, data) if method == "POST" else client.get(path)
    assert _to_confirm(response) == form_page
    assert _snapshot() == before
    assert client.post_form(f"/account/confirm?next={form_page}", {"password": PASSWORD}).location == form_page
    again = client.post_form(path, data) if method == "POST" else client.get(path)
    assert again.status_code in (200, 302), again.get_data(as_text=True)[:500]
    if method == "POST" and action != "export":
        assert _snapshot() != before


def test_suspension_after_confirming_is_recorded(app: Flask) -> None:
    """The moderator's suspension, confirmed, suspends the member as before."""
    moderator, target = make_member(role=Role.MODERATOR), make_member()
    client = browser(app, moderator)
    _confirmed_ago(moderator, timedelta(minutes=30))
    client.post_form(f"/account/confirm?next=/mod/members/{target.id}", {"password": PASSWORD})
    assert client.post_form(f"/mod/members/{target.id}/suspend", {"reason": "Spam"}).status_code == 302
    db.session.rollback()
    assert db.session.get(Member, target.id).status == MemberStatus.SUSPENDED
