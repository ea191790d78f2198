"""Events and questions for the question tests: a factory with keyword defaults, and the pages' forms as helpers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import AuditEvent, Event, EventQuestion, Member, Notification
from app.models.base import utcnow
from tests import factories
from tests.conftest import FormClient


def make_event(*, questions: bool = True, **fields: object) -> Event:
    """An event collecting questions in advance (see tests.factories.make_event for the other defaults)."""
    return factories.make_event(questions=questions, **fields)


def end(event: Event) -> Event:
    """Move the event into the past (it took place yesterday)."""
    db.session.rollback()
    event = db.session.get(Event, event.id)
    event.starts_at, event.ends_at = utcnow() - timedelta(days=1, hours=1), utcnow() - timedelta(days=1)
    db.session.commit()
    return event


def ask(client: FormClient, event: Event, body: str = "Is it safe to climb stairs in the first week?") -> TestResponse:
    """Send the question form of the event's questions page."""
    return client.post_form(f"/events/{event.id}/questions", {"body": body})


def questions_of(event: Event) -> list[EventQuestion]:
    """The event's questions as committed, oldest first."""
    db.session.rollback()
    return list(db.session.scalars(select(EventQuestion).where(EventQuestion.event_id == event.id).order_by("id")))


def only_question(event: Event) -> EventQuestion:
    questions = questions_of(event)
    assert len(questions) == 1, questions
    return questions[0]


def decide(client: FormClient, question: EventQuestion, action: str, note: str = "", **extra: str) -> TestResponse:
    """The question's decision form on the review queue page."""
    data = {"action": action, "note": note, "guideline": "", "version": str(question.version), **extra}
    return client.post_form(f"/mod/questions/{question.id}/decide", data)


def want(client: FormClient, question: EventQuestion) -> TestResponse:
    return client.post_form(f"/events/questions/{question.id}/want")


def notifications_of(member: Member, kind: str) -> list[Notification]:
    db.session.rollback()
    query = select(Notification).where(Notification.member_id == member.id, Notification.kind == kind)
    return list(db.session.scalars(query))


def audit_actions(action: str) -> list[AuditEvent]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
