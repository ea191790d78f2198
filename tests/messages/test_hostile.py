"""The shared hostile corpora through the private-message forms (SECURITY.md #26): subject, body and recipients are
stored as typed (normalised) or refused with a message, never a server error, and no page runs any of it."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Member
from app.models.messages import Conversation, Message
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_conversation, make_member
from tests.support import CORPORA, as_body, as_title, read_corpus
from tests.support import count_rows as rows

ORDINARY_SUBJECT = "An ordinary subject"
ORDINARY_BODY = "An ordinary message."


@pytest.fixture(params=CORPORA)
def corpus(request: pytest.FixtureRequest) -> tuple[str, ...]:
    return read_corpus(request.param)


@pytest.fixture
def app_overrides() -> dict:
    return {"PROPAGATE_EXCEPTIONS": False}  # a server error is a 500 answer to note, not an exception that stops


@pytest.fixture
def writer(app: Flask) -> tuple[FormClient, Member]:
    """A signed-in member, and the member "Bob" they write to."""
    member = make_member(display_name="Corpus Writer")
    client = app.test_client()
    assert client.post_form("/login", {"email": member.email, "password": PASSWORD}).status_code == 302
    return client, make_member(display_name="Bob")


def _stored(conversation_id: int) -> tuple[str, str]:
    """The conversation's subject and its first message's raw text."""
    row = db.session.execute(
        select(Conversation.subject, Message.raw)
        .join(Message, Message.conversation_id == Conversation.id)
        .where(Conversation.id == conversation_id)
        .order_by(Message.id)
    ).first()
    return (row.subject, row.raw) if row else ("", "")


def test_subject_and_body_are_stored_or_refused(writer, corpus, findings) -> None:  # noqa: F811
    """A hostile subject and body start a conversation as typed (collapsed, stripped) or are refused clearly."""
    client, _ = writer

    def attempt(line: str, subject: str, body: str) -> int:
        before = rows(Conversation)
        data = {"to": "Bob", "subject": subject, "body": body, "then": "new"}  # a new one, not the last one continued
        response = client.post_form("/messages/new", data)
        soup = findings.page(line, response)
        if response.status_code != 302:
            findings.refused(line, response, soup, written=rows(Conversation) != before)
            return response.status_code
        # Lines that clean to the same words are one message sent twice: the second lands on the first (#m<id>).
        conversation_id = int(response.location.split("#")[0].rsplit("/", 1)[1])
        findings.stored_as(line, _stored(conversation_id), (as_title(subject), as_body(body)))
        findings.page(line, client.get(response.location))
        return response.status_code

    for line in corpus:
        if attempt(line, line, line) != 302:
            attempt(line, line, ORDINARY_BODY)
            attempt(line, ORDINARY_SUBJECT, line)
    findings.page("the messages list", client.get("/messages"))
    findings.assert_clean()


def test_reply_body_is_stored_or_refused(writer, corpus, findings) -> None:  # noqa: F811
    """A hostile reply is stored stripped with LF line ends, or refused, and the conversation page runs none of it."""
    client, bob = writer
    member = db.session.scalar(select(Member).where(Member.display_name == "Corpus Writer"))
    conversation = make_conversation(member, bob)
    for line in corpus:
        before = rows(Message)
        response = client.post_form(f"/messages/{conversation.id}/reply", {"body": line})
        soup = findings.page(line, response)
        if response.status_code != 302:
            findings.refused(line, response, soup, written=rows(Message) != before)
            continue
        message_id = int(response.location.rsplit("#m", 1)[1])
        findings.stored_as(line, db.session.scalar(select(Message.raw).where(Message.id == message_id)), as_body(line))
    for page in range(1, len(corpus) // 50 + 2):
        findings.page(f"conversation page {page}", client.get(f"/messages/{conversation.id}?page={page}"))
    findings.assert_clean()


def test_recipients_field_never_fails(writer, corpus, findings) -> None:  # noqa: F811
    """Any text as the recipients is refused with a message naming the problem, never a server error."""
    client, _ = writer
    for line in corpus:
        before = rows(Conversation)
        response = client.post_form("/messages/new", {"to": line, "subject": "", "body": ORDINARY_BODY})
        soup = findings.page(line, response)
        if response.status_code != 302:
            findings.refused(line, response, soup, written=rows(Conversation) != before)
        else:
            findings.stored += 1  # a line that names Bob (e.g. " bob ") is fine
    findings.assert_clean(something_stored=False)
