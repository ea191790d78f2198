"""Rate limits on starting conversations and sending messages: the form again with the text (429), and nothing
stored past the limit."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models.messages import Conversation, Message
from tests.factories import make_conversation, make_member
from tests.support import browser, page_text


@pytest.fixture
def app_overrides() -> dict:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


def test_starting_conversations_is_rate_limited(app: Flask, count, start) -> None:
    """The eleventh new conversation within an hour answers 429 with the form and its text, and is not stored."""
    make_member(display_name="Bob")
    client = browser(app, make_member())
    for n in range(10):
        assert start(client, "Bob", body=f"Hello {n}", then="new").status_code == 302
    response = start(client, "Bob", body="One too many", then="new")
    assert response.status_code == 429
    assert "You are sending faster than we allow for now, so this was not sent." in page_text(response)
    assert "One too many" in page_text(response)
    assert count(Conversation) == 10


def test_sending_messages_is_rate_limited(app: Flask, count, send) -> None:
    """The twenty-first reply within a minute answers 429, and is not stored."""
    ann, bob = make_member(), make_member()
    conversation = make_conversation(bob, ann)
    client = browser(app, ann)
    for n in range(20):
        assert send(client, conversation.id, f"Reply {n}").status_code == 302
    assert send(client, conversation.id, "One too many").status_code == 429
    assert count(Message) == 21


def test_limits_count_per_member(app: Flask, start) -> None:
    """One member reaching the limit does not stop another member behind the same address."""
    make_member(display_name="Bob")
    first, second = browser(app, make_member()), browser(app, make_member())
    for n in range(10):
        start(first, "Bob", body=f"Hello {n}")
    assert start(first, "Bob", body="One too many").status_code == 429
    assert start(second, "Bob", body="Hello from someone else").status_code == 302
