"""Writing again to someone already in a 1-to-1 conversation: the compose page offers to continue it, and sending
asks whether to add the message there or start a new conversation (plain buttons, no JavaScript needed)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models.base import utcnow
from app.models.messages import Conversation, ConversationParticipant, Message
from tests.factories import make_conversation, make_member
from tests.support import browser, page_text, soup

QUESTION = "You already have a conversation with Bob"


def _conversations() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Conversation)) or 0


def _form(body: str = "Another thought", then: str | None = None) -> dict[str, str]:
    return {"to": "Bob", "subject": "", "body": body, **({"then": then} if then else {})}


def test_compose_page_links_to_the_existing_conversation(app: Flask, ann, bob) -> None:
    """Opened from Bob's profile, the compose page says a conversation exists and links to it."""
    existing = make_conversation(ann, bob)
    response = browser(app, ann).get(f"/messages/new?to={bob.id}")
    link = soup(response).select_one(".continue-notice a")
    assert link is not None and link["href"].startswith(f"/messages/{existing.id}")


def test_sending_asks_and_keeps_the_words(app: Flask, ann, bob) -> None:
    """The first send asks which to do, with the message still in the form, and stores nothing yet."""
    make_conversation(ann, bob)
    response = browser(app, ann).post_form("/messages/new", _form("Words kept while asked"))
    assert response.status_code == 200 and QUESTION in page_text(response)
    assert soup(response).select_one('textarea[name="body"]').get_text().strip() == "Words kept while asked"
    assert {b["value"] for b in soup(response).select('button[name="then"]')} == {"continue", "new"}
    assert _conversations() == 1
    assert db.session.scalar(select(func.count()).select_from(Message)) == 1


def test_continue_adds_the_message_to_the_existing_conversation(app: Flask, ann, bob) -> None:
    """Choosing "add to that conversation" appends the message there; no new conversation is opened."""
    existing = make_conversation(ann, bob)
    response = browser(app, ann).post_form("/messages/new", _form("Appended words", "continue"))
    assert response.status_code == 302 and response.location.startswith(f"/messages/{existing.id}")
    assert _conversations() == 1
    bodies = db.session.scalars(select(Message.raw).where(Message.conversation_id == existing.id)).all()
    assert bodies[-1] == "Appended words"


def test_new_still_starts_a_separate_conversation(app: Flask, ann, bob) -> None:
    """Choosing "start a new conversation" does just that."""
    make_conversation(ann, bob)
    assert browser(app, ann).post_form("/messages/new", _form(then="new")).status_code == 302
    assert _conversations() == 2


def test_first_message_to_someone_is_sent_without_asking(app: Flask, ann, bob) -> None:
    """With no conversation yet there is nothing to ask."""
    assert browser(app, ann).post_form("/messages/new", _form()).status_code == 302
    assert _conversations() == 1


def test_group_conversations_and_left_ones_are_not_offered(app: Flask, ann, bob) -> None:
    """Only a 1-to-1 conversation both still take part in counts: not a group one, not one Bob left."""
    make_conversation(ann, bob, make_member())
    left = make_conversation(ann, bob)
    db.session.get(ConversationParticipant, (left.id, bob.id)).left_at = utcnow()
    db.session.commit()
    assert browser(app, ann).post_form("/messages/new", _form()).status_code == 302
    assert _conversations() == 3


def test_several_existing_conversations_are_not_guessed_between(app: Flask, ann, bob) -> None:
    """With two 1-to-1 conversations already, neither is picked: the message starts a new one as asked."""
    make_conversation(ann, bob)
    make_conversation(bob, ann)
    response = browser(app, ann).get(f"/messages/new?to={bob.id}")
    assert soup(response).select_one(".continue-notice") is None
    assert browser(app, ann).post_form("/messages/new", _form()).status_code == 302
    assert _conversations() == 3
