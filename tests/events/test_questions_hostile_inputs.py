"""The question and answer fields against the shared corpora (SECURITY.md #26): never a server error, nothing
executable on the event page, the questions page or the host's page, each line stored as typed (trimmed, Unix line
ends) or refused with a message."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, EventQuestion, Role
from app.models.event_questions import ANSWER_MAX, QUESTION_MAX
from app.services.common.cleaning import visible_length
from app.text.rendering import cook
from tests.events.questions_support import end, make_event
from tests.factories import make_member
from tests.support import CORPORA, Findings, as_body, browser, read_corpus

# Escaping is decided in rendering, whatever the database: these run in the SQLite pass only.
pytestmark = pytest.mark.once


@pytest.fixture
def app_overrides() -> dict:
    return {"PROPAGATE_EXCEPTIONS": False}  # a server error is a 500 answer to note, not an exception that stops


def expected_text(line: str, limit: int, *, empty_allowed: bool) -> str | None:
    """What the text rules keep of a line, or None when they refuse it."""
    if "\x00" in line:
        return None
    text = as_body(line)
    text = text if visible_length(text) else ""
    if not text and not empty_allowed:
        return None
    return text if len(text) <= limit else None


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_question_is_stored_faithfully_or_refused(app: Flask, findings: Findings, corpus: str) -> None:
    """Each line as a question: stored as typed and shown inert everywhere, or refused (422) with a message."""
    event = make_event()
    client = browser(app, make_member())
    asked: set[str] = set()  # two lines the same once trimmed: the second is a repeat, not stored twice
    for line in read_corpus(corpus):
        db.session.rollback()
        before = db.session.scalar(select(EventQuestion.id).order_by(EventQuestion.id.desc()).limit(1))
        response = client.post_form(f"/events/{event.id}/questions", {"body": line})
        db.session.rollback()
        latest = db.session.scalars(select(EventQuestion).order_by(EventQuestion.id.desc()).limit(1)).first()
        written = latest is not None and latest.id != before
        expected = expected_text(line, QUESTION_MAX, empty_allowed=False)
        if expected is None:
            findings.refused(line, response, findings.page(line, response), written=written)
            continue
        findings.page(line, response)
        if not written:
            if expected not in asked:
                findings.note(line, f"answered {response.status_code} and stored nothing")
            continue
        asked.add(latest.body)
        findings.stored_as(line, latest.body, expected)
    staff = browser(app, make_member(role=Role.STAFF))
    for path, reader in ((f"/events/{event.id}", client), (f"/events/{event.id}/questions", client)):
        findings.page("(every line)", reader.get(path))
    findings.page("(every line)", staff.get(f"/staff/events/{event.id}/questions"))
    findings.assert_clean()


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_answer_is_stored_faithfully_or_refused(app: Flask, findings: Findings, corpus: str) -> None:
    """Each line as staff's answer: stored as typed and shown inert on the event page, or refused with a message."""
    event = make_event()
    question = EventQuestion(
        event_id=event.id, body="Can I swim?", body_html=cook("Can I swim?"), status=ContentStatus.VISIBLE
    )
    db.session.add(question)
    db.session.commit()
    question_id = question.id
    event = end(event)
    staff = browser(app, make_member(role=Role.STAFF))
    visitor = browser(app)
    for line in read_corpus(corpus):
        db.session.rollback()
        before = db.session.get(EventQuestion, question_id).answer
        response = staff.post_form(f"/staff/events/questions/{question_id}/answer", {f"q{question_id}-answer": line})
        db.session.rollback()
        answer = db.session.get(EventQuestion, question_id).answer
        expected = expected_text(line, ANSWER_MAX, empty_allowed=True)
        if expected is None:
            findings.refused(line, response, findings.page(line, response), written=answer != before)
            continue
        findings.page(line, response)
        findings.stored_as(line, answer, expected)
        findings.page(line, visitor.get(f"/events/{event.id}"))
    findings.assert_clean()
