"""Authenticator-app two-factor sign-in: enrolment, the code step at sign-in, replay, throttling, recovery codes."""

from __future__ import annotations

import io
import json
import logging
import time
import zipfile

import pyotp
import pytest
from sqlalchemy import select

from app.auth.signin import PENDING_KEY
from app.extensions import db
from app.models import AuditEvent, Member
from app.models.two_factor import RecoveryCode, TotpSecret
from app.services.members import login_throttle
from tests.factories import PASSWORD, make_member
from tests.members.two_factor_support import code_at_offset, code_now, enrol, secret_of
from tests.served import served
from tests.support import page, soup


def _signed_in(client) -> bool:  # noqa: ANN001
    response = client.get("/account")
    return response.status_code == 200


def _password_step(client, member: Member):  # noqa: ANN001, ANN202
    response = client.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _failures(member: Member) -> int:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == "two_factor_failed", AuditEvent.target_id == member.id)
    return len(db.session.scalars(query).all())


# --- enrolment ---------------------------------------------------------------------------------------------------


def test_enrolment_shows_a_server_drawn_qr_code_and_the_secret_in_groups(client, login_as) -> None:
    """Setting up shows an inline SVG QR code (no outside image) and the base32 secret grouped by four."""
    member = make_member()
    login_as(member)
    assert client.post_form("/account/two-factor/start").status_code == 302
    response = client.get("/account/two-factor")
    assert response.status_code == 200
    html = soup(response)
    assert html.select_one("figure.qr svg") is not None
    assert html.select("img[src^='http']") == []
    secret = secret_of(member)
    shown = html.select_one("code.secret").get_text()
    assert shown.replace(" ", "") == secret
    assert shown.split(" ")[0] == secret[:4]
    assert db.session.get(TotpSecret, member.id).confirmed_at is None


def test_wrong_first_code_is_refused_and_nothing_is_confirmed(client, login_as) -> None:
    """A wrong first code answers 422 beside the field; the secret stays unconfirmed and no recovery codes exist."""
    member = make_member()
    login_as(member)
    client.post_form("/account/two-factor/start")
    wrong = f"{(int(code_now(member)) + 1) % 1_000_000:06d}"
    response = client.post_form("/account/two-factor/confirm", {"code": wrong})
    assert response.status_code == 422
    assert "That code is not right" in soup(response).select_one("#code-error").get_text()
    db.session.expire_all()
    assert db.session.get(TotpSecret, member.id).confirmed_at is None
    assert db.session.scalars(select(RecoveryCode)).all() == []


def test_first_code_turns_it_on_and_shows_ten_recovery_codes_once(client, login_as) -> None:
    """The right first code confirms the secret and shows ten codes, stored only as hashes and never shown again."""
    member = make_member()
    login_as(member)
    client.post_form("/account/two-factor/start")
    response = client.post_form("/account/two-factor/confirm", {"code": code_now(member)})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    codes = [code.get_text() for code in soup(response).select(".recovery-codes code")]
    assert len(codes) == 10 == len(set(codes))
    db.session.expire_all()
    assert db.session.get(TotpSecret, member.id).confirmed_at is not None
    stored = {row.code_hash for row in db.session.scalars(select(RecoveryCode))}
    assert len(stored) == 10 and not stored & {code.replace("-", "") for code in codes}
    later = page(client.get("/account/two-factor"))
    assert not any(code in later for code in codes)
    assert "10 unused recovery codes" in later


# --- signing in --------------------------------------------------------------------------------------------------


def test_sign_in_asks_for_the_code_after_the_password(client) -> None:
    """With two-factor on, the right password leads to the code step, not into the account."""
    member = make_member()
    enrol(member)
    response = _password_step(client, member)
    assert response.location.endswith("/login/two-factor")
    assert not _signed_in(client)
    assert "Confirm it is you" in page(client.get("/login/two-factor"))


def test_correct_code_signs_in(client) -> None:
    """A current code from the app completes the sign-in and goes on."""
    member = make_member()
    enrol(member)
    _password_step(client, member)
    response = client.post_form("/login/two-factor", {"code": code_now(member)})
    assert response.status_code == 302
    assert _signed_in(client)


def test_a_replayed_code_is_refused(client, app) -> None:
    """The same code, used a second time within its window, does not sign in again."""
    member = make_member()
    enrol(member)
    code = code_now(member)
    _password_step(client, member)
    assert client.post_form("/login/two-factor", {"code": code}).status_code == 302
    other = app.test_client()
    _password_step(other, member)
    response = other.post_form("/login/two-factor", {"code": code})
    assert response.status_code == 422
    assert not _signed_in(other)


def test_an_older_code_after_a_newer_one_is_refused(client) -> None:
    """Once the next step's code was accepted, the current step's code (still in the window) is refused too."""
    member = make_member()
    enrol(member)
    _password_step(client, member)
    assert client.post_form("/login/two-factor", {"code": code_at_offset(member, 1)}).status_code == 302
    client.post_form("/logout")
    _password_step(client, member)
    assert client.post_form("/login/two-factor", {"code": code_now(member)}).status_code == 422


def test_wrong_codes_are_throttled_and_logged(client) -> None:
    """Wrong codes are audit-logged; from the fifth in a row, even the right code is refused for a while (429)."""
    member = make_member()
    enrol(member)
    _password_step(client, member)
    for _ in range(login_throttle.FREE_FAILURES + 1):
        assert client.post_form("/login/two-factor", {"code": "000000"}).status_code == 422
    assert _failures(member) == login_throttle.FREE_FAILURES + 1
    response = client.post_form("/login/two-factor", {"code": code_now(member)})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many wrong codes" in page(response)
    assert not _signed_in(client)


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}], ids=["rate-limited"])
def test_code_step_is_rate_limited_per_address(client) -> None:
    """Many code guesses from one address meet the per-address limit, whatever the throttle says."""
    member = make_member()
    enrol(member)
    _password_step(client, member)
    for _ in range(10):
        client.post_form("/login/two-factor", {"code": "000000"})
    response = client.post_form("/login/two-factor", {"code": "000000"})
    assert response.status_code == 429
    assert "Too many wrong codes" not in page(response)  # the address's limit, not the account's throttle


def test_recovery_code_works_once(client, app) -> None:
    """A recovery code stands in for the app's code, once; the second use is refused."""
    member = make_member()
    codes = enrol(member)
    _password_step(client, member)
    assert client.post_form("/login/two-factor", {"code": codes[0].lower()}).status_code == 302
    assert _signed_in(client)
    other = app.test_client()
    _password_step(other, member)
    assert other.post_form("/login/two-factor", {"code": codes[0]}).status_code == 422
    assert not _signed_in(other)


def test_pending_sign_in_expires(client) -> None:
    """Five minutes after the password, the code step sends the browser back to sign in, even with a right code."""
    member = make_member()
    enrol(member)
    _password_step(client, member)
    with client.session_transaction() as session:
        session[PENDING_KEY] = {**session[PENDING_KEY], "at": time.time() - 301}
    response = client.post_form("/login/two-factor", {"code": code_now(member)})
    assert response.status_code == 302 and response.location.endswith("/login")
    assert not _signed_in(client)


def test_known_device_cookie_only_after_the_second_factor(client) -> None:
    """The cookie that exempts a browser from the password throttle is earned by the whole sign-in, not the password."""
    member = make_member()
    enrol(member)
    _password_step(client, member)
    assert client.get_cookie(login_throttle.DEVICE_COOKIE, path="/login") is None
    client.post_form("/login/two-factor", {"code": code_now(member)})
    assert client.get_cookie(login_throttle.DEVICE_COOKIE, path="/login") is not None


# --- changing and turning off ----------------------------------------------------------------------------------


def test_regenerating_recovery_codes_voids_the_old_ones(client, login_as, app) -> None:
    """New codes (password and a code) replace the old: an old one no longer signs in, a new one does."""
    member = make_member()
    old = enrol(member)
    login_as(member)
    response = client.post_form("/account/two-factor/recovery-codes", {"password": PASSWORD, "code": code_now(member)})
    assert response.status_code == 200
    new = [code.get_text() for code in soup(response).select(".recovery-codes code")]
    assert len(new) == 10 and not set(new) & set(old)
    browser = app.test_client()
    _password_step(browser, member)
    assert browser.post_form("/login/two-factor", {"code": old[1]}).status_code == 422
    assert browser.post_form("/login/two-factor", {"code": new[1]}).status_code == 302


def test_disabling_needs_the_password_and_a_code(client, login_as) -> None:
    """A wrong password and a wrong code are both named and nothing changes; both right turns two-factor off."""
    member = make_member()
    enrol(member)
    login_as(member)
    response = client.post_form("/account/two-factor/disable", {"password": "not my password", "code": "123456"})
    assert response.status_code == 422
    html = soup(response)
    assert html.select_one("#password-error") is not None and html.select_one("#code-error") is not None
    assert db.session.get(TotpSecret, member.id) is not None
    response = client.post_form("/account/two-factor/disable", {"password": PASSWORD, "code": code_now(member)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TotpSecret, member.id) is None
    assert db.session.scalars(select(RecoveryCode)).all() == []


def test_disabling_with_the_right_password_but_a_replayed_code_is_refused(client, login_as) -> None:
    """A code already used (here, at enrolment) does not turn two-factor off."""
    member = make_member()
    enrol(member)
    login_as(member)
    used = code_at_offset(member, -1)
    response = client.post_form("/account/two-factor/disable", {"password": PASSWORD, "code": used})
    assert response.status_code == 422
    assert db.session.get(TotpSecret, member.id) is not None


def test_export_says_whether_two_factor_is_on_but_not_the_secret(client, login_as) -> None:
    """The member's export tells that two-factor is on, never the secret nor the codes."""
    member = make_member()
    codes = enrol(member)
    login_as(member)
    response = client.post_form("/account/export")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        body = archive.read("kindred-export.json").decode() + archive.read("index.html").decode()
        data = json.loads(archive.read("kindred-export.json"))
    assert data["two_factor"]["enabled"] is True
    assert data["two_factor"]["recovery_codes_left"] == 10
    assert secret_of(member) not in body
    assert not any(code in body for code in codes)


def test_member_without_two_factor_signs_in_with_the_password_alone(client) -> None:
    """Nothing changes for members who did not set it up."""
    member = make_member()
    response = _password_step(client, member)
    assert not response.location.endswith("/login/two-factor")
    assert _signed_in(client)
    assert pyotp  # the codes above are pyotp's own, computed independently of the app


def test_one_code_sent_many_times_at_once_signs_in_once(app, client) -> None:
    """The same code in six simultaneous requests is accepted by exactly one of them; the others are refused."""
    member = make_member()
    enrol(member)
    _password_step(client, member)
    code = code_now(member)
    with served(app) as server:
        statuses = server.post_at_once(client, ["/login/two-factor"] * 6, {"code": code})
    assert server.errors == []
    assert sorted(statuses) == [302, 422, 422, 422, 422, 422]


def test_codes_and_secrets_never_reach_the_logs(client, login_as, caplog: pytest.LogCaptureFixture) -> None:
    """Enrolling and signing in with codes, at DEBUG, logs neither the secret, the codes nor the recovery codes."""
    caplog.set_level(logging.DEBUG)
    member = make_member()
    login_as(member)
    client.post_form("/account/two-factor/start")
    first = code_now(member)
    page_with_codes = client.post_form("/account/two-factor/confirm", {"code": first})
    recovery = [code.get_text() for code in soup(page_with_codes).select(".recovery-codes code")]
    client.post_form("/logout")
    _password_step(client, member)
    client.post_form("/login/two-factor", {"code": recovery[0]})
    logged = caplog.text
    assert secret_of(member) not in logged
    assert f"'{first}'" not in logged and f"={first}" not in logged  # a bare six digits could be a timing figure
    assert not any(code in logged or code.replace("-", "") in logged for code in recovery)
