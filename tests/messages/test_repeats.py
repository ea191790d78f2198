"""The same private message sent again a moment later (the Back button, a second click): "You just posted this", the
way to the message already there, and nothing stored twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import event, select

from app.extensions import db
from app.models.base import utcnow
from app.models.messages import Conversation, Message
from app.services.common.submissions import REPEAT_WINDOW
from tests.conftest import FormClient
from tests.factories import make_conversation
from tests.support import browser

JUST_POSTED = "You just posted this, so it was not posted a second time. Here it is."


def _reply_from_fresh_page(client: FormClient, conversation_id: int, body: str):  # noqa: ANN202
    """Open the conversation (a fresh form) and send `body` as a reply, as after pressing Back."""
    client.get(f"/messages/{conversation_id}")
    return client.post_form(f"/messages/{conversation_id}/reply", {"body": body})


def _start_from_fresh_page(client: FormClient, body: str, then: str | None = None):  # noqa: ANN202
    """Open the compose page (a fresh form) and start a conversation with Bob."""
    client.get("/messages/new")
    data = {"to": "Bob", "subject": "Hi", "body": body, **({"then": then} if then else {})}
    return client.post_form("/messages/new", data)


def _bodies(conversation_id: int | None = None) -> list[str]:
    db.session.rollback()
    query = select(Message.raw).order_by(Message.id)
    if conversation_id is not None:
        query = query.where(Message.conversation_id == conversation_id)
    return list(db.session.scalars(query))


def test_a_repeated_reply_is_stored_once_and_leads_to_the_first(app: Flask, ann, bob) -> None:
    """The same reply again from a fresh form lands on the first one, with "You just posted this"."""
    conversation = make_conversation(ann, bob)
    client = browser(app, bob)
    _reply_from_fresh_page(client, conversation.id, "Thank you, that helps.")
    again = _reply_from_fresh_page(client, conversation.id, "Thank you, that helps.")
    first_id = db.session.scalar(select(Message.id).where(Message.raw == "Thank you, that helps."))
    assert _bodies(conversation.id) == ["Hi there", "Thank you, that helps."]
    assert again.location == f"/messages/{conversation.id}#m{first_id}"
    assert JUST_POSTED in client.get(again.location).get_data(as_text=True)


def test_a_repeated_new_conversation_is_started_once(app: Flask, ann, bob) -> None:
    """The same first message to the same person again from a fresh compose form starts no second conversation."""
    client = browser(app, ann)
    first = _start_from_fresh_page(client, "Are you going on Thursday?")
    again = _start_from_fresh_page(client, "Are you going on Thursday?")
    message_id = db.session.scalar(select(Message.id))
    assert db.session.scalar(select(db.func.count()).select_from(Conversation)) == 1
    assert again.location == f"{first.location}#m{message_id}"
    assert JUST_POSTED in client.get(again.location).get_data(as_text=True)


def test_a_repeat_after_choosing_a_new_conversation_is_started_once(app: Flask, ann, bob) -> None:
    """Answering "start a new one" twice with the same words gives one new conversation beside the old one."""
    make_conversation(ann, bob, subject="Hi")
    client = browser(app, ann)
    _start_from_fresh_page(client, "A new question", then="new")
    again = _start_from_fresh_page(client, "A new question", then="new")
    assert _bodies() == ["Hi there", "A new question"]
    assert JUST_POSTED in client.get(again.location).get_data(as_text=True)


def test_different_words_are_sent(app: Flask, ann, bob) -> None:
    """Other words to the same conversation a moment later are a new message."""
    conversation = make_conversation(ann, bob)
    client = browser(app, bob)
    _reply_from_fresh_page(client, conversation.id, "Thank you.")
    _reply_from_fresh_page(client, conversation.id, "And see you on Thursday.")
    assert _bodies(conversation.id) == ["Hi there", "Thank you.", "And see you on Thursday."]


def test_the_same_words_after_the_window_are_sent(app: Flask, ann, bob) -> None:
    """The same words again once REPEAT_WINDOW has passed are a new message, not a repeat."""
    conversation = make_conversation(ann, bob, bodies=("Good morning!",))
    message = db.session.scalar(select(Message))
    message.created_at = utcnow() - REPEAT_WINDOW - timedelta(seconds=1)
    db.session.commit()
    _reply_from_fresh_page(browser(app, ann), conversation.id, "Good morning!")
    assert _bodies(conversation.id) == ["Good morning!", "Good morning!"]


def test_a_removed_message_is_no_repeat(app: Flask, ann, bob) -> None:
    """Words whose earlier message a moderator removed since are sent again, never pointing to the removed one."""
    conversation = make_conversation(ann, bob)
    client = browser(app, bob)
    _reply_from_fresh_page(client, conversation.id, "Call me.")
    removed = db.session.scalar(select(Message).where(Message.raw == "Call me."))
    removed.removed_at = utcnow()
    db.session.commit()
    again = _reply_from_fresh_page(client, conversation.id, "Call me.")
    assert _bodies(conversation.id) == ["Hi there", "Call me.", "Call me."]
    assert again.location != f"/messages/{conversation.id}#m{removed.id}"


def test_simultaneous_twin_replies_are_stored_once(app: Flask, database_url: str, ann, bob) -> None:
    """The same reply sent twice at the same moment (two workers, overlapping transactions): one message."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time, so the twins cannot overlap")
    conversation = make_conversation(ann, bob)
    client = browser(app, bob)
    client.get(f"/messages/{conversation.id}")
    both_claiming = threading.Barrier(2, timeout=10)

    def hold_until_twin_claims(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        # Both requests have passed every check and are about to record the repeat key: let them go on together.
        if statement.startswith("INSERT INTO form_submissions"):
            both_claiming.wait()

    responses: list = [None, None]

    def send(n: int) -> None:
        with app.app_context():  # a thread of its own, like a second server worker
            responses[n] = client.post_form(f"/messages/{conversation.id}/reply", {"body": "Sent by a double click."})

    event.listen(db.engine, "before_cursor_execute", hold_until_twin_claims)
    try:
        threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        event.remove(db.engine, "before_cursor_execute", hold_until_twin_claims)
    assert _bodies(conversation.id) == ["Hi there", "Sent by a double click."]
    assert [r.status_code for r in responses] == [302, 302]
    assert len({r.location for r in responses}) == 1
