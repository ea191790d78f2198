"""Shared by the private-message tests: Ann and Bob (fixtures), conversations written straight to the database,
and form shortcuts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import Member
from app.models.base import utcnow
from app.models.messages import Conversation, ConversationParticipant, Message
from app.text.rendering import cook
from tests.conftest import FormClient
from tests.factories import make_member


@pytest.fixture
def ann() -> Member:
    return make_member(display_name="Ann")


@pytest.fixture
def bob() -> Member:
    return make_member(display_name="Bob")


def make_conversation(
    author: Member, *others: Member, subject: str = "Hello", bodies: tuple[str, ...] = ("Hi there",)
) -> Conversation:
    """A conversation started by `author` with `others`, its messages all by `author`, read by the author only."""
    now = utcnow()
    conversation = Conversation(subject=subject, created_at=now, last_message_at=now)
    conversation.participants = [
        ConversationParticipant(member_id=member.id, joined_at=now) for member in (author, *others)
    ]
    db.session.add(conversation)
    db.session.flush()
    messages = [
        Message(conversation_id=conversation.id, author_id=author.id, raw=body, cooked=cook(body), created_at=now)
        for body in bodies
    ]
    db.session.add_all(messages)
    db.session.flush()
    conversation.message_count = len(messages)
    conversation.last_message_id = messages[-1].id if messages else 0
    conversation.participants[0].last_read_message_id = conversation.last_message_id
    db.session.commit()
    return conversation


def start(client: FormClient, to: str, body: str = "Hello, how are you?", subject: str = "Hi") -> TestResponse:
    """Submit the new-conversation form."""
    return client.post_form("/messages/new", {"to": to, "subject": subject, "body": body})


def send(client: FormClient, conversation_id: int, body: str = "Thanks for writing.") -> TestResponse:
    """Submit a conversation's reply form."""
    return client.post_form(f"/messages/{conversation_id}/reply", {"body": body})


def count(model: type) -> int:
    """Rows in the model's table, as the requests left them."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def latest_conversation() -> Conversation | None:
    db.session.rollback()
    return db.session.scalar(select(Conversation).order_by(Conversation.id.desc()).limit(1))
