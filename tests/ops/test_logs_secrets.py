"""No passwords, tokens, e-mail addresses or post bodies in the logs (SECURITY.md #21), even at DEBUG level with
the SQL and HTTP loggers on."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from tests.factories import make_group, make_topic

EMAIL = "log.probe.7731@example.org"
PASSWORD = "velvet-otter-harbour-5528"
WRONG_PASSWORD = "copper-lantern-meadow-9902"
TITLE = "Probe title qz7318"
BODY = "My private diagnosis story xk4417"
REPLY = "A private reply body wj2290"
LOGGERS = ("", "werkzeug", "sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool", "flask_limiter", "app")
URL_TOKEN = re.compile(r"/([A-Za-z0-9_.-]{24,})")
RESET_ENDPOINTS = ("account.forgot_password", "auth.forgot_password", "account.reset_request")


@pytest.fixture
def debug_logs(caplog):  # noqa: ANN001, ANN201
    """Every logger we and our libraries use, at DEBUG, captured."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def logged_text(caplog) -> str:  # noqa: ANN001
    """Everything logged: formatted messages, raw arguments and exception texts."""
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        if record.exc_info and record.exc_info[1] is not None:
            parts.append(str(record.exc_info[1]))
    return "\n".join(parts)


def walk_through_the_site(app, client) -> None:  # noqa: ANN001
    """Sign up, sign out, fail to sign in, sign in, post a topic and a reply, and ask for a password reset."""
    group = make_group()
    existing = make_topic(group=group)
    assert client.post_form("/register", _registration()).status_code == 302
    client.post_form("/logout")
    assert client.post_form("/login", {"email": EMAIL, "password": WRONG_PASSWORD}).status_code == 422
    assert client.post_form("/login", {"email": EMAIL, "password": PASSWORD}).status_code == 302
    client.post_form(f"/g/{group.slug}/join")
    topic = client.post_form(f"/g/{group.slug}/new", {"title": TITLE, "body": BODY})
    assert topic.status_code == 302
    assert client.post_form(f"/t/{existing.id}/reply", {"body": REPLY}).status_code == 302
    reset = next((r for r in app.url_map.iter_rules() if r.endpoint in RESET_ENDPOINTS), None)
    if reset is not None:
        client.post_form("/logout")
        client.post_form(reset.rule, {"email": EMAIL})


def _registration() -> dict[str, str]:
    return {
        "email": EMAIL,
        "display_name": "Log Probe",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_guidelines": "y",
    }


def mailed_tokens() -> list[str]:
    """The tokens in links we e-mailed (verification, reset ...): secrets that must stay out of the logs."""
    bodies = db.session.scalars(select(OutboxMessage.body_text)).all()
    return [token for body in bodies for token in URL_TOKEN.findall(body) if not token.startswith("www.")]


@pytest.mark.parametrize(
    "secret",
    [EMAIL, "log.probe.7731", PASSWORD, WRONG_PASSWORD, BODY, REPLY, TITLE],
    ids=["email", "email-local-part", "password", "wrong-password", "post-body", "reply-body", "title"],
)
def test_secret_never_logged(app, client, debug_logs, secret):
    """Walking through sign-up, sign-in, posting and password reset at DEBUG logs none of the member's secrets."""
    walk_through_the_site(app, client)
    assert debug_logs.records, "nothing was logged: the test would prove nothing"
    assert secret not in logged_text(debug_logs)


def test_mailed_tokens_never_logged(app, client, debug_logs):
    """Tokens sent by e-mail (verification, password reset) never appear in the logs."""
    walk_through_the_site(app, client)
    text = logged_text(debug_logs)
    tokens = mailed_tokens()
    assert tokens, "no e-mailed token to look for: the test would prove nothing"
    for token in tokens:
        assert token not in text


def test_sql_logging_shows_statements_without_values(app, client, debug_logs):
    """SQL logging still shows the statements (useful to operators) but hides the values bound to them."""
    walk_through_the_site(app, client)
    text = logged_text(debug_logs)
    assert "INSERT INTO members" in text
    assert "parameters hidden" in text
