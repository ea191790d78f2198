"""Links in e-mail never start with a Host header nobody checked: a forged Host must not receive a reset token."""

from __future__ import annotations

import pytest

from tests.factories import make_member
from tests.support import outbox

# The browser's cookies belong to localhost, so a request with another Host would carry no CSRF secret.
NO_CSRF = {"WTF_CSRF_ENABLED": False}
LISTED = {**NO_CSRF, "ALLOWED_HOSTS": ("forum.example.org", "localhost")}


@pytest.fixture
def app_overrides() -> dict:
    return NO_CSRF


def reset_mail_to(client, member, host: str) -> str:  # noqa: ANN001
    """Ask for a reset link with this Host header; the body of the mail that went out."""
    client.post_form("/password-reset", {"email": member.email}, headers={"Host": host})
    messages = outbox(member.email)
    assert messages, "no mail went out"
    return messages[-1].body_text


def test_forged_host_never_reaches_the_link(client) -> None:
    """Without KINDRED_BASE_URL or an allow-list, a foreign Host header is not used: the link stays on loopback."""
    member = make_member()
    body = reset_mail_to(client, member, "evil.example")
    assert "evil.example" not in body
    assert "http://localhost/password-reset/" in body


def test_loopback_host_is_used_in_development(client) -> None:
    """On a developer's machine the link follows the address they browse (with its port)."""
    member = make_member()
    assert "http://127.0.0.1:5000/password-reset/" in reset_mail_to(client, member, "127.0.0.1:5000")


@pytest.mark.parametrize("app_overrides", [LISTED])
def test_allowed_host_is_used(client) -> None:
    """A Host in KINDRED_ALLOWED_HOSTS may start the link."""
    member = make_member()
    assert "http://forum.example.org/password-reset/" in reset_mail_to(client, member, "forum.example.org")


@pytest.mark.parametrize("app_overrides", [LISTED])
def test_unlisted_host_is_refused_with_the_400_page(client) -> None:
    """With an allow-list, a request for any other Host answers 400 (not a server error) and sends nothing."""
    member = make_member()
    response = client.post_form("/password-reset", {"email": member.email}, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert outbox(member.email) == []


@pytest.mark.parametrize("app_overrides", [{**NO_CSRF, "BASE_URL": "https://forum.example.org"}])
def test_base_url_wins_over_any_host(client) -> None:
    """KINDRED_BASE_URL, when set, starts every link whatever the Host header says."""
    member = make_member()
    body = reset_mail_to(client, member, "evil.example")
    assert "https://forum.example.org/password-reset/" in body and "evil.example" not in body


@pytest.mark.parametrize("app_overrides", [{**NO_CSRF, "KINDRED_ENV": "staging"}])
def test_outside_development_loopback_is_not_trusted_either(client) -> None:
    """Outside development and tests even a loopback Host is not trusted (a proxy may pass anything as Host)."""
    member = make_member()
    body = reset_mail_to(client, member, "127.0.0.1:8000")
    assert "127.0.0.1:8000" not in body
