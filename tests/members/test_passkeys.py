"""Passkeys through the Flask client with a software authenticator: registering one, signing in without a password,
using one as the second step, and every proof that must be refused (origin, challenge reuse, counter, owner)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import Member, Passkey, PasskeyChallenge
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_member
from tests.members.soft_authenticator import SoftAuthenticator, add_passkey, post_json, use_passkey
from tests.support import outbox, page_text


def _passkeys(member: Member) -> list[Passkey]:
    db.session.rollback()
    return list(db.session.scalars(select(Passkey).where(Passkey.member_id == member.id).order_by(Passkey.id)))


def _signed_in_as(client: FormClient) -> str | None:
    """Whose account page this browser reaches (None: it is sent to sign in)."""
    response = client.get("/account")
    return None if response.status_code == 302 else page_text(response)


@pytest.fixture
def member(app: Flask) -> Member:
    return make_member(display_name="Pia Passkey")


@pytest.fixture
def device() -> SoftAuthenticator:
    return SoftAuthenticator()


def _with_passkey(client: FormClient, login_as, member: Member, device: SoftAuthenticator, **choices: bool) -> Passkey:  # noqa: ANN001
    login_as(member)
    assert add_passkey(client, device).status_code == 200
    passkey = _passkeys(member)[-1]
    for key, value in choices.items():
        setattr(passkey, key, value)
    db.session.commit()
    client.post_form("/logout")
    return passkey


def test_a_member_adds_a_passkey_and_it_is_listed(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """Both halves of the registration keep the credential with its name, and the list shows it as not yet used."""
    login_as(member)
    response = add_passkey(client, device, name="  Kitchen   tablet ")
    assert response.status_code == 200
    assert response.get_json() == {"redirect": "/account/passkeys"}
    [passkey] = _passkeys(member)
    assert (passkey.name, passkey.credential_id, passkey.transports) == (
        "Kitchen tablet",
        device.credential_id,
        "internal",
    )
    assert passkey.passwordless is False and passkey.last_used_at is None
    listed = page_text(client.get("/account/passkeys"))
    assert "Kitchen tablet" in listed and "Not used yet" in listed


def test_a_passkey_without_a_name_is_numbered(client: FormClient, login_as, member: Member) -> None:  # noqa: ANN001
    """An empty name becomes "Passkey 1", "Passkey 2": the list never shows a blank line."""
    login_as(member)
    for _ in range(2):
        assert add_passkey(client, SoftAuthenticator(), name=" \u200b ").status_code == 200
    assert [p.name for p in _passkeys(member)] == ["Passkey 1", "Passkey 2"]


def test_options_exclude_registered_passkeys_and_never_name_the_member_id(
    client: FormClient, login_as, member: Member, device
) -> None:  # noqa: ANN001
    """A second registration asks devices that hold the first credential to refuse, and keeps the same random handle."""
    login_as(member)
    add_passkey(client, device)
    options = post_json(client, "/account/passkeys/register/options", {"current_password": PASSWORD}).get_json()
    [passkey] = _passkeys(member)
    assert [item["id"] for item in options["excludeCredentials"]] == [device.create(options)["id"]]
    assert options["rp"] == {"id": "localhost", "name": "Kindred"}
    assert options["user"]["id"] != str(member.id) and len(passkey.user_handle) == 32
    assert options["authenticatorSelection"]["residentKey"] == "preferred"


def test_the_same_credential_cannot_be_registered_twice(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """A credential already kept (by anyone) is refused, even with a fresh, valid challenge."""
    login_as(member)
    add_passkey(client, device)
    response = add_passkey(client, device)
    assert response.status_code == 400
    assert response.get_json()["error"] == "This passkey is already registered."
    assert len(_passkeys(member)) == 1


def test_registration_from_another_origin_is_refused(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """An answer made for another site (a phishing page's origin, or its RP ID) is refused and nothing is kept."""
    login_as(member)
    for wrong in ({"origin": "http://localhost.evil.example"}, {"rp_id": "evil.example"}):
        options = post_json(client, "/account/passkeys/register/options", {"current_password": PASSWORD}).get_json()
        response = post_json(
            client, "/account/passkeys/register/verify", {"credential": device.create(options, **wrong), "name": "x"}
        )
        assert response.status_code == 400
        assert "could not be used" in response.get_json()["error"]
    assert _passkeys(member) == []


def test_a_registration_challenge_is_answered_once(client: FormClient, login_as, member: Member) -> None:  # noqa: ANN001
    """Posting the same valid answer again (or with a copy of the old cookie) finds no challenge left."""
    login_as(member)
    options = post_json(client, "/account/passkeys/register/options", {"current_password": PASSWORD}).get_json()
    body = {"credential": SoftAuthenticator().create(options), "name": "Once"}
    cookie = client.get_cookie("session").value
    assert post_json(client, "/account/passkeys/register/verify", body).status_code == 200
    client.set_cookie("session", cookie)  # the session as it was before the answer, challenge included
    response = post_json(client, "/account/passkeys/register/verify", body)
    assert response.status_code == 400
    assert "took too long" in response.get_json()["error"]
    assert len(_passkeys(member)) == 1


def test_adding_a_passkey_needs_the_password(client: FormClient, login_as, member: Member) -> None:  # noqa: ANN001
    """A signed-in browser alone cannot add a passkey: without the right password no challenge is even issued."""
    login_as(member)
    for body in ({"current_password": "not my password"}, {}, {"current_password": ["list"]}):
        response = post_json(client, "/account/passkeys/register/options", body)
        assert response.status_code == 400
        assert response.get_json() == {"error": "That is not your current password.", "field": "current_password"}
    assert db.session.scalar(select(func.count()).select_from(PasskeyChallenge)) == 0


def test_adding_a_passkey_mails_the_member(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """A passkey added is announced by e-mail, with its name and where to remove it: one they did not add is seen."""
    login_as(member)
    add_passkey(client, device, name="Tablet")
    [mail] = outbox(member.email)
    assert mail.subject == "A passkey was added to your account · Kindred"
    assert "“Tablet”" in mail.body_text and "http://localhost/account/passkeys" in mail.body_text


def test_json_endpoints_need_the_csrf_token(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """Without the page's token in its header a request is refused and no challenge or passkey is written."""
    login_as(member)
    assert post_json(client, "/account/passkeys/register/options", csrf=False).status_code == 400
    assert post_json(client, "/login/passkey/options", csrf=False).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(PasskeyChallenge)) == 0


@pytest.mark.parametrize("credential", [None, "nonsense", {"id": 5}, {"id": "x", "rawId": "!!", "response": {}}, []])
def test_malformed_answers_are_refused_in_words(client: FormClient, login_as, member: Member, credential) -> None:  # noqa: ANN001
    """Whatever is posted as the credential, the answer is a sentence with 400, never a server error."""
    login_as(member)
    post_json(client, "/account/passkeys/register/options", {"current_password": PASSWORD})
    response = post_json(client, "/account/passkeys/register/verify", {"credential": credential})
    assert response.status_code == 400 and response.get_json()["error"]
    post_json(client, "/login/passkey/options")
    assert post_json(client, "/login/passkey/verify", {"credential": credential}).status_code == 400


def test_passwordless_sign_in_with_a_chosen_passkey(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """A passkey set to sign in alone does so, never asking for a second step; its use and counter are kept."""
    _with_passkey(client, login_as, member, device, passwordless=True)
    assert _signed_in_as(client) is None
    response = use_passkey(client, device)
    assert response.status_code == 200 and response.get_json() == {"redirect": "/"}
    assert member.email in (_signed_in_as(client) or "")
    [passkey] = _passkeys(member)
    assert passkey.sign_count == device.sign_count and passkey.last_used_at is not None


def test_passwordless_sign_in_follows_next_within_the_site(
    client: FormClient, login_as, member: Member, device
) -> None:  # noqa: ANN001
    """The sign-in page's `next` is kept for a passkey too, and never leads off the site."""
    _with_passkey(client, login_as, member, device, passwordless=True)
    for target, expected in (("/bookmarks", "/bookmarks"), ("https://evil.example/", "/")):
        client.post_form("/logout")
        options = post_json(client, "/login/passkey/options").get_json()
        response = post_json(client, f"/login/passkey/verify?next={target}", {"credential": device.get(options)})
        assert response.get_json() == {"redirect": expected}


def test_a_second_step_passkey_does_not_sign_in_alone(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """By default a passkey is only the step after the password: used alone it is refused, saying what to do."""
    _with_passkey(client, login_as, member, device)
    response = use_passkey(client, device)
    assert response.status_code == 400
    assert "second step after your password" in response.get_json()["error"]
    assert _signed_in_as(client) is None


def test_passwordless_sign_in_needs_user_verification(client: FormClient, login_as, member: Member) -> None:  # noqa: ANN001
    """A key that only checks presence (no PIN, no fingerprint) is not both factors at once: refused."""
    device = SoftAuthenticator(verifies_user=False)
    _with_passkey(client, login_as, member, device, passwordless=True)
    assert use_passkey(client, device).status_code == 400
    assert _signed_in_as(client) is None


def test_a_counter_that_does_not_move_is_refused(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """A signature counter that does not go up (a cloned key, a replay) is refused like any failed proof."""
    _with_passkey(client, login_as, member, device, passwordless=True)
    assert use_passkey(client, device).status_code == 200
    client.post_form("/logout")
    assert use_passkey(client, device, count_up=False).status_code == 400
    assert _signed_in_as(client) is None


def test_an_answer_for_another_origin_does_not_sign_in(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """A signature a phishing page relayed (its own origin in the client data) is refused."""
    _with_passkey(client, login_as, member, device, passwordless=True)
    assert use_passkey(client, device, origin="https://kindred.evil.example").status_code == 400
    assert _signed_in_as(client) is None


def test_an_unknown_passkey_is_refused(client: FormClient, app: Flask) -> None:
    """A credential this site never registered signs nobody in."""
    response = use_passkey(client, SoftAuthenticator(user_handle=b"x" * 32))
    assert response.status_code == 400
    assert _signed_in_as(client) is None


def test_password_then_passkey_as_the_second_step(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """With a passkey, the password alone leads to the two-factor page; the passkey there finishes the sign-in."""
    _with_passkey(client, login_as, member, device)
    response = client.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/login/two-factor"
    assert _signed_in_as(client) is None
    assert "Use a passkey or security key instead" in page_text(client.get("/login/two-factor"))
    options = post_json(client, "/login/two-factor/passkey/options").get_json()
    assert [item["id"] for item in options["allowCredentials"]] == [device.get(options, count_up=False)["id"]]
    response = post_json(client, "/login/two-factor/passkey/verify", {"credential": device.get(options)})
    assert response.status_code == 200 and response.get_json() == {"redirect": "/"}
    assert _signed_in_as(client) is not None


def test_another_members_passkey_is_no_second_step(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """Half-way through Pia's sign-in, a passkey of someone else (even a valid one) is refused."""
    _with_passkey(client, login_as, member, device)
    other, others_device = make_member(display_name="Olaf Other"), SoftAuthenticator()
    _with_passkey(client, login_as, other, others_device)
    client.post_form("/login", {"email": member.email, "password": PASSWORD})
    response = use_passkey(client, others_device, where="/login/two-factor/passkey")
    assert response.status_code == 400
    assert _signed_in_as(client) is None


def test_second_step_endpoints_without_a_pending_sign_in(client: FormClient, app: Flask) -> None:
    """With no sign-in started in this browser, the second step's endpoints say so and write nothing."""
    for path in ("/login/two-factor/passkey/options", "/login/two-factor/passkey/verify"):
        response = post_json(client, path)
        assert response.status_code == 409
        assert "Please sign in again" in response.get_json()["error"]
    assert db.session.scalar(select(func.count()).select_from(PasskeyChallenge)) == 0


def test_a_removed_passkey_is_no_longer_asked_for(client: FormClient, login_as, member: Member, device) -> None:  # noqa: ANN001
    """Removing the last passkey: the password alone signs in again."""
    passkey = _with_passkey(client, login_as, member, device)
    login_as(member)
    assert client.post_form(f"/account/passkeys/{passkey.id}/remove").status_code == 302
    client.post_form("/logout")
    response = client.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert response.location == "/"


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}])
def test_passkey_sign_in_is_rate_limited(client: FormClient, app: Flask, app_overrides: dict) -> None:
    """Guessing through the passkey endpoints is limited per address: a 429 in words, with Retry-After."""
    answers = [post_json(client, "/login/passkey/options") for _ in range(21)]
    assert [a.status_code for a in answers[:20]] == [200] * 20
    assert answers[20].status_code == 429
    assert answers[20].headers["Retry-After"] and "limit" in answers[20].get_json()["error"]


@pytest.mark.parametrize(
    "app_overrides",
    [{"BASE_URL": "https://forum.example.org", "WEBAUTHN_RP_ID": "example.org", "WEBAUTHN_RP_NAME": "Heart Forum"}],
)
def test_the_relying_party_follows_the_settings(client: FormClient, login_as, member: Member, app_overrides) -> None:  # noqa: ANN001
    """WEBAUTHN_RP_ID and WEBAUTHN_RP_NAME name the relying party; only KINDRED_BASE_URL's origin is accepted."""
    login_as(member)
    options = post_json(client, "/account/passkeys/register/options", {"current_password": PASSWORD}).get_json()
    assert options["rp"] == {"id": "example.org", "name": "Heart Forum"}
    on_site = SoftAuthenticator(origin="https://forum.example.org", rp_id="example.org")
    body = {"credential": on_site.create(options), "name": "Phone"}
    assert post_json(client, "/account/passkeys/register/verify", body).status_code == 200
    options = post_json(client, "/account/passkeys/register/options", {"current_password": PASSWORD}).get_json()
    elsewhere = SoftAuthenticator(origin="http://localhost", rp_id="example.org")
    body = {"credential": elsewhere.create(options), "name": "Phone"}
    assert post_json(client, "/account/passkeys/register/verify", body).status_code == 400
    assert len(_passkeys(member)) == 1


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": False}])  # the cookies belong to localhost
def test_a_forged_host_never_names_the_relying_party(client: FormClient, app_overrides: dict) -> None:
    """Without KINDRED_BASE_URL an untrusted Host header is ignored: the relying party stays on loopback."""
    response = client.post("/login/passkey/options", json={}, headers={"Host": "kindred.evil.example"})
    assert response.status_code == 200
    assert response.get_json()["rpId"] == "localhost"
