"""Sign-in with the organisation's OpenID Connect provider, end to end against a real provider on loopback.

The provider is `oidc-provider` from npm (tests/oidc/provider.mjs), behind the tests' proxy that can spoil the ID
token of one answer (tests/oidc/harness.py). The app runs in the Flask test client; its requests to the provider
(discovery, keys, token) are real HTTP, and the test follows the browser's redirects at the provider by hand.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import AuditEvent, Member, MemberIdentity, MemberStatus, Role
from app.services.members.accounts import authenticate, load_session
from app.services.members.erasure import delete_account
from app.services.members.export import export_data
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_member
from tests.oidc.harness import CLIENT_ID, CLIENT_SECRET, OidcProvider, install, provider_round_trip, set_claims
from tests.support import browser
from tests.web.test_valid_html import checker_errors, vnu  # noqa: F401 - vnu is the checker's fixture

PROVIDER_NAME = "Hospital ID"
ROLE_MAP = "kindred-moderators=moderator,kindred-staff=staff,kindred-mentors=mentor"
ACCOUNTS = {
    "ann": {"sub": "ann-0001", "email": "ann@example.org", "email_verified": True, "name": "Ann Example",
            "preferred_username": "ann.example", "groups": []},
    "una": {"sub": "una-0002", "email": "una@example.org", "email_verified": False, "name": "Una Checked",
            "groups": []},
    "uma": {"sub": "uma-0003", "email": "uma@example.org", "email_verified": False, "name": "Uma Taken"},
    "mo": {"sub": "mo-0004", "email": "mo@example.org", "email_verified": True, "name": "Mo Nurse",
           "groups": ["ward-7", "kindred-moderators", "kindred-mentors"]},
}  # fmt: skip
# Each test that talks to the provider starts nothing itself, but needs the provider process of the session.
uses_provider = pytest.mark.once


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OidcProvider]:
    install()
    provider = OidcProvider({login: dict(claims) for login, claims in ACCOUNTS.items()}).start()
    yield provider
    provider.stop()


@pytest.fixture
def app_overrides(request: pytest.FixtureRequest) -> dict:
    if request.node.get_closest_marker("once") is None:
        return {}
    provider: OidcProvider = request.getfixturevalue("oidc_provider")
    return provider.settings(OIDC_PROVIDER_NAME=PROVIDER_NAME, OIDC_ROLE_CLAIM="groups", OIDC_ROLE_MAP=ROLE_MAP)


@pytest.fixture(autouse=True)
def _fresh_claims(request: pytest.FixtureRequest) -> None:
    """Every test starts from the accounts above, whatever an earlier test changed."""
    if request.node.get_closest_marker("once") is not None:
        provider: OidcProvider = request.getfixturevalue("oidc_provider")
        for login, claims in ACCOUNTS.items():
            if provider.accounts[login] != claims:
                set_claims(provider, login, dict(claims))
        provider.spoil = None


def sign_in_with_provider(client: FormClient, login: str, next_url: str | None = None):  # noqa: ANN201
    """The whole round trip: /login/oidc, the provider, and the app's callback; the callback's response."""
    started = client.get("/login/oidc", query_string={"next": next_url} if next_url else None)
    assert started.status_code == 302, started.status_code
    back = provider_round_trip(started.location, login)
    parts = urlsplit(back)
    return client.get(parts.path, query_string=parts.query)


def signed_in_member(client: FormClient) -> Member | None:
    """Who this browser is signed in as: the member of the login session its cookie names, if any."""
    token = client._session_value("_user_id")
    db.session.rollback()
    return load_session(token) if token else None


def member_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Member)) or 0


def identities() -> list[MemberIdentity]:
    db.session.rollback()
    return list(db.session.scalars(select(MemberIdentity).order_by(MemberIdentity.id)))


def refused(response, client: FormClient, message: str = "We could not sign you in with Hospital ID") -> None:  # noqa: ANN001
    """Back on the sign-in page with the reason, and this browser signed in as nobody."""
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"
    assert message in client.get("/login").get_data(as_text=True)
    assert client.get("/account").status_code == 302


# Signing in and finding the account.


@uses_provider
def test_first_sign_in_creates_an_account(client: FormClient) -> None:
    """A first sign-in makes an account from the claims: name, confirmed address, no password, guidelines next."""
    response = sign_in_with_provider(client, "ann")
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/guidelines/accept"
    member = signed_in_member(client)
    assert member is not None and member.email == "ann@example.org"
    assert member.display_name == "ann.example"
    assert member.email_verified_at is not None
    assert member.guidelines_outdated and member.role == Role.MEMBER
    assert authenticate("ann@example.org", PASSWORD) is None  # password sign-in impossible until one is set
    [identity] = identities()
    assert (identity.member_id, identity.subject) == (member.id, "ann-0001")
    assert "Welcome! We made you an account" in client.get("/guidelines/accept").get_data(as_text=True)


@uses_provider
def test_second_sign_in_finds_that_account(app: Flask, client: FormClient) -> None:
    """The provider's (issuer, subject) leads back to the same account, from another browser too."""
    sign_in_with_provider(client, "ann")
    first = signed_in_member(client)
    other: FormClient = app.test_client()  # type: ignore[assignment]
    response = sign_in_with_provider(other, "ann", next_url="/account")
    assert response.status_code == 302 and response.location == "/account"
    again = signed_in_member(other)
    assert first is not None and again is not None and again.id == first.id
    assert member_count() == 1 and len(identities()) == 1


@uses_provider
def test_verified_address_links_the_existing_account(client: FormClient) -> None:
    """An existing account with the address the provider confirmed is linked, said so, and keeps its password."""
    existing = make_member(email="ann@example.org", display_name="Ann Original")
    response = sign_in_with_provider(client, "ann", next_url="/account")
    assert response.location == "/account"
    page = client.get("/account").get_data(as_text=True)
    assert "Your account here is now linked to Hospital ID" in page
    assert "Linked to Hospital ID" in page
    assert signed_in_member(client).id == existing.id  # type: ignore[union-attr]
    assert member_count() == 1
    assert authenticate("ann@example.org", PASSWORD) is not None


@uses_provider
def test_unverified_address_does_not_link_an_existing_account(client: FormClient) -> None:
    """An address the provider did not confirm never opens the account that has it: refused, nothing linked."""
    make_member(email="uma@example.org", display_name="Uma Original")
    response = sign_in_with_provider(client, "uma")
    refused(response, client, "your organisation has not confirmed that address")
    assert identities() == [] and member_count() == 1


@uses_provider
def test_unverified_address_makes_an_unconfirmed_account(client: FormClient) -> None:
    """Without an account at that address, the member gets a new one whose address still needs confirming."""
    sign_in_with_provider(client, "una")
    member = signed_in_member(client)
    assert member is not None and member.email == "una@example.org"
    assert member.email_verified_at is None


@uses_provider
def test_deleted_account_is_not_reopened(client: FormClient, app: Flask) -> None:
    """Deleting the account removes its identities: the next sign-in makes a new account, never the tombstone."""
    existing = make_member(email="ann@example.org", display_name="Ann Original")
    sign_in_with_provider(client, "ann")
    delete_account(existing, existing, password=PASSWORD, remove_posts=False)
    assert identities() == []
    other: FormClient = app.test_client()  # type: ignore[assignment]
    sign_in_with_provider(other, "ann")
    again = signed_in_member(other)
    assert again is not None and again.id != existing.id


@uses_provider
def test_export_includes_the_linked_identity(client: FormClient) -> None:
    """The member's export names the provider, their id there and the dates."""
    sign_in_with_provider(client, "ann")
    member = signed_in_member(client)
    assert member is not None
    [exported] = export_data(member, member)["identities"]
    assert exported["subject"] == "ann-0001" and exported["issuer"].startswith("http://127.0.0.1:")
    assert exported["created_at"] and exported["last_used_at"]


# Roles from the provider's claim.


@uses_provider
def test_role_claim_makes_a_moderator(client: FormClient) -> None:
    """Of the claimed groups, unknown ones are ignored and the highest mapped role wins; the change is audited."""
    sign_in_with_provider(client, "mo")
    member = signed_in_member(client)
    assert member is not None and member.role == Role.MODERATOR
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "provider_role"))
    assert event is not None and event.target_id == member.id and event.after == {"role": "moderator"}


@uses_provider
def test_role_goes_when_the_provider_stops_granting_it(app: Flask, client: FormClient, oidc_provider) -> None:  # noqa: ANN001
    """Leaving the group at the provider takes the granted role back at the next sign-in."""
    sign_in_with_provider(client, "mo")
    set_claims(oidc_provider, "mo", {**ACCOUNTS["mo"], "groups": ["ward-7"]})
    other: FormClient = app.test_client()  # type: ignore[assignment]
    sign_in_with_provider(other, "mo")
    assert signed_in_member(other).role == Role.MEMBER  # type: ignore[union-attr]


@uses_provider
def test_role_set_by_hand_is_kept(app: Flask, client: FormClient, oidc_provider) -> None:  # noqa: ANN001
    """A role given in Kindred itself is not the provider's to take away."""
    sign_in_with_provider(client, "mo")
    member = signed_in_member(client)
    assert member is not None
    member.role = Role.STAFF
    db.session.commit()
    set_claims(oidc_provider, "mo", {**ACCOUNTS["mo"], "groups": []})
    other: FormClient = app.test_client()  # type: ignore[assignment]
    sign_in_with_provider(other, "mo")
    assert signed_in_member(other).role == Role.STAFF  # type: ignore[union-attr]


# Refusals: nobody is signed in.


@uses_provider
@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        ("wrong_key", "BadSignatureError"),
        ("wrong_audience", "Invalid claim: 'aud'"),
        ("expired", "ExpiredTokenError"),
        ("replay", "Invalid claim: 'nonce'"),
    ],
)
def test_spoiled_id_token_is_refused(
    app: Flask,
    client: FormClient,
    oidc_provider,
    spoil: str,
    reason: str,
    caplog: pytest.LogCaptureFixture,  # noqa: ANN001
) -> None:
    """An ID token signed with another key, for another client, expired, or from an earlier sign-in (its nonce
    replayed) signs nobody in, not even the account it names; the log says which check refused it."""
    earlier: FormClient = app.test_client()  # type: ignore[assignment]
    sign_in_with_provider(earlier, "ann")  # the account exists, and its ID token is the one a replay sends
    oidc_provider.spoil = spoil
    response = sign_in_with_provider(client, "ann")
    assert oidc_provider.spoil is None, "the spoiled token was never asked for"
    refused(response, client)
    assert len(identities()) == 1 and member_count() == 1
    assert any(reason in record.getMessage() for record in caplog.records if record.name == "app.auth.oidc")


@uses_provider
def test_replayed_answer_is_refused(app: Flask, client: FormClient) -> None:
    """The provider's answer (code and state) opened in another browser, or twice, signs nobody in."""
    started = client.get("/login/oidc")
    back = urlsplit(provider_round_trip(started.location, "ann"))
    thief: FormClient = app.test_client()  # type: ignore[assignment]
    refused(thief.get(back.path, query_string=back.query), thief)
    assert client.get(back.path, query_string=back.query).status_code == 302
    assert signed_in_member(client) is not None
    other: FormClient = app.test_client()  # type: ignore[assignment]
    refused(other.get(back.path, query_string=back.query), other)


@uses_provider
def test_member_who_says_no_is_not_signed_in(client: FormClient) -> None:
    """Declining at the provider comes back as access_denied: a plain message, nobody signed in."""
    response = sign_in_with_provider(client, "deny")
    refused(response, client, "You did not allow the sign-in with Hospital ID")
    assert member_count() == 0


@uses_provider
def test_answer_naming_another_issuer_is_refused(client: FormClient) -> None:
    """An answer whose iss parameter is not our provider (a mix-up between providers) is refused before use."""
    started = client.get("/login/oidc")
    back = urlsplit(provider_round_trip(started.location, "ann"))
    query = {key: values[0] for key, values in parse_qs(back.query).items()}
    refused(client.get(back.path, query_string={**query, "iss": "https://evil.example"}), client)


# The flow itself, and the pages.


@uses_provider
def test_redirect_uses_pkce_nonce_and_state(client: FormClient) -> None:
    """The authorization request carries PKCE (S256), a nonce, a state and the scopes, role claim's included."""
    started = client.get("/login/oidc")
    query = parse_qs(urlsplit(started.location).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["nonce"] and query["state"] and query["client_id"] == [CLIENT_ID]
    assert query["scope"] == ["openid email profile groups"]


@uses_provider
def test_login_page_offers_the_provider(client: FormClient) -> None:
    """The sign-in page names the provider beside the password form, and keeps where the member was going."""
    page = client.get("/login?next=/account").get_data(as_text=True)
    assert "Sign in with Hospital ID" in page
    assert 'href="/login/oidc?next=/account"' in page
    assert 'name="password"' in page


def test_routes_are_not_found_when_no_provider_is_configured(client: FormClient) -> None:
    """Without OIDC_ISSUER and OIDC_CLIENT_ID the routes answer 404 and the sign-in page offers no provider."""
    assert client.get("/login/oidc").status_code == 404
    assert client.get("/login/oidc/callback?code=x&state=y").status_code == 404
    assert "/login/oidc" not in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"OIDC_ISSUER": "https://id.example.org", "OIDC_CLIENT_ID": "k", "OIDC_ROLE_CLAIM": "groups",
          "OIDC_ROLE_MAP": "kindred-staff=boss"}, "unknown role 'boss'"),
        ({"OIDC_ISSUER": "https://id.example.org", "OIDC_CLIENT_ID": "k", "OIDC_ROLE_CLAIM": "groups",
          "OIDC_ROLE_MAP": "kindred-staff"}, "is not claim-value=role"),
        ({"OIDC_ISSUER": "https://id.example.org", "OIDC_CLIENT_ID": "k", "OIDC_ROLE_MAP": "a=staff"},
         "OIDC_ROLE_MAP needs OIDC_ROLE_CLAIM"),
        ({"OIDC_ISSUER": "https://id.example.org"}, "Set both OIDC_ISSUER and OIDC_CLIENT_ID"),
        ({"OIDC_ISSUER": "id.example.org", "OIDC_CLIENT_ID": "k"}, "is not the provider's https:// address"),
    ],
)  # fmt: skip
def test_bad_settings_stop_the_app(settings: dict, message: str) -> None:
    """A provider setting that cannot work stops the app at start, saying what to fix."""
    with pytest.raises(RuntimeError, match=message):
        create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})


@uses_provider
@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MODERATOR, Role.ADMIN])
def test_routes_for_every_role(app: Flask, role: Role | None) -> None:
    """Visitors are sent to the provider, or back to sign-in from a callback nobody started; signed-in members
    are sent on, and nothing is written either way."""
    client = browser(app, make_member(role=role) if role else None)
    started, callback = client.get("/login/oidc?next=/account"), client.get("/login/oidc/callback?code=x&state=y")
    if role is None:
        assert started.location.startswith(f"{app.config['OIDC_ISSUER']}/auth?")
        refused(callback, client)
    else:
        assert (started.location, callback.location) == ("/account", "/")
    assert identities() == []


@uses_provider
def test_new_pages_are_valid_html(client: FormClient, tmp_path: Path, vnu: list[str]) -> None:  # noqa: F811
    """The sign-in page with the provider's button and the account page with a linked identity pass the checker."""
    (tmp_path / "login.html").write_bytes(client.get("/login?next=/account").data)
    make_member(email="ann@example.org", display_name="Ann Original")
    sign_in_with_provider(client, "ann")
    (tmp_path / "account.html").write_bytes(client.get("/account").data)
    assert "Linked to Hospital ID" in (tmp_path / "account.html").read_text()
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    assert [f"{e.get('url')}: {e.get('message')}" for e in errors] == []


@uses_provider
def test_logs_hold_no_code_verifier_or_token(client: FormClient, caplog: pytest.LogCaptureFixture) -> None:
    """A sign-in logged at DEBUG shows neither the PKCE verifier, nor the code, nor any token or address."""
    caplog.set_level(logging.DEBUG)
    started = client.get("/login/oidc")
    with client.session_transaction() as session:
        [verifier] = [data["data"]["code_verifier"] for key, data in session.items() if key.startswith("_state_")]
    back = urlsplit(provider_round_trip(started.location, "ann"))
    client.get(back.path, query_string=back.query)
    code = parse_qs(back.query)["code"][0]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert signed_in_member(client) is not None
    for secret in (verifier, code, CLIENT_SECRET, "ann@example.org", "eyJ"):  # "eyJ": how every JWT starts
        assert secret not in logged


@uses_provider
def test_suspended_member_signs_in_as_with_a_password(client: FormClient) -> None:
    """A suspension keeps the member reading, whichever way they sign in; it does not let them post."""
    existing = make_member(
        email="ann@example.org", display_name="Ann Original", status=MemberStatus.SUSPENDED, suspension_reason="Test"
    )
    sign_in_with_provider(client, "ann")
    member = signed_in_member(client)
    assert member is not None and member.id == existing.id and member.is_suspended


def test_unreachable_provider_gives_a_clear_refusal() -> None:
    """With the provider down, the sign-in button leads back to the sign-in page with a message, never a 500."""
    with socket.socket() as probe:  # a loopback port with nothing listening on it
        probe.bind(("127.0.0.1", 0))
        issuer = f"http://127.0.0.1:{probe.getsockname()[1]}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": "k"})
    client = app.test_client()
    response = client.get("/login/oidc")
    assert response.status_code == 302 and urlsplit(response.location).path == "/login"
    with client.session_transaction() as session:
        assert "We could not sign you in" in str(session.get("_flashes"))
