"""Loading events and questions for the pages, with the refusals every view needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import abort
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app import permissions
from app.extensions import db
from app.models import ContentStatus, Event, EventQuestion, Member
from app.models.base import utcnow
from app.questions.forms import QuestionForm
from app.services.questions.asking import has_wanted

MAX_ID = 2**31 - 1


def question_or_404(question_id: int, viewer: Any = None) -> EventQuestion:
    """The question; with a `viewer`, only if they may see it (else 404, as for a missing one, like events)."""
    question = db.session.get(EventQuestion, question_id) if 0 < question_id <= MAX_ID else None
    if question is None or (viewer is not None and not permissions.can(viewer, "view_question", question)):
        abort(404)
    return question


@dataclass
class QuestionsView:
    """What an event page shows of its questions to this reader."""

    event: Event
    questions: list[EventQuestion]
    wanted: set[int] = field(default_factory=set)
    form: QuestionForm | None = None
    may_ask: bool = False
    refusal: str | None = None
    collecting: bool = False  # still taking questions (before the start, not cancelled)


def readers_questions(viewer: Any, event: Event) -> list[EventQuestion]:
    """Published questions (most wanted first, then oldest), and the reader's own ones still waiting or turned down."""
    shown = EventQuestion.status == ContentStatus.VISIBLE
    if isinstance(viewer, Member):
        own = (EventQuestion.author_id == viewer.id) & EventQuestion.status.in_(
            (ContentStatus.PENDING, ContentStatus.REJECTED)
        )
        shown = or_(shown, own)
    query = (
        select(EventQuestion)
        .options(joinedload(EventQuestion.author))
        .where(EventQuestion.event_id == event.id, shown)
        .order_by(EventQuestion.want_count.desc(), EventQuestion.created_at, EventQuestion.id)
    )
    return list(db.session.scalars(query))


def questions_view(viewer: Any, event: Event, form: QuestionForm | None = None) -> QuestionsView:
    """The questions part of an event page (the event page includes it; so does the questions page)."""
    if not event.questions or not permissions.can(viewer, "view_event", event):
        return QuestionsView(event, [])
    questions = readers_questions(viewer, event)
    refusal = permissions.why_not(viewer, "ask_question", event)
    return QuestionsView(
        event,
        questions,
        wanted=has_wanted(viewer, [q.id for q in questions]),
        form=form if form is not None else (QuestionForm() if refusal is None else None),
        may_ask=refusal is None,
        refusal=refusal,
        collecting=event.cancelled_at is None and event.starts_at > utcnow(),
    )
