"""Private-message fixtures: Ann and Bob, the conversation forms, and what the requests stored."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import Member
from app.models.messages import Conversation
from tests.conftest import FormClient
from tests.factories import make_member


@pytest.fixture
def ann() -> Member:
    return make_member(display_name="Ann")


@pytest.fixture
def bob() -> Member:
    return make_member(display_name="Bob")


def _start(
    client: FormClient, to: str, body: str = "Hello, how are you?", subject: str = "Hi", then: str | None = None
) -> TestResponse:
    """Submit the new-conversation form (`then="new"`: the answer to "continue your conversation with them?")."""
    return client.post_form(
        "/messages/new", {"to": to, "subject": subject, "body": body, **({"then": then} if then else {})}
    )


@pytest.fixture
def start() -> Callable[..., TestResponse]:
    """Submit the new-conversation form."""
    return _start


def _send(client: FormClient, conversation_id: int, body: str = "Thanks for writing.") -> TestResponse:
    """Submit a conversation's reply form."""
    return client.post_form(f"/messages/{conversation_id}/reply", {"body": body})


@pytest.fixture
def send() -> Callable[..., TestResponse]:
    """Submit a conversation's reply form."""
    return _send


def _count(model: type) -> int:
    """Rows in the model's table, as the requests left them."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def count() -> Callable[..., int]:
    """Count a model's rows as the requests left them."""
    return _count


def _latest_conversation() -> Conversation | None:
    db.session.rollback()
    return db.session.scalar(select(Conversation).order_by(Conversation.id.desc()).limit(1))


@pytest.fixture
def latest_conversation() -> Callable[..., Conversation | None]:
    """Read the newest conversation, as committed."""
    return _latest_conversation
