"""The moderators' side of event questions: their open items in the review queue, and approving or rejecting them.

A question the review rules held (or published and flagged) is an open item until a moderator decides; the decision
is one conditional UPDATE, so of two moderators deciding at once exactly one wins, and it is audit-logged and told
to the author in the same transaction.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import joinedload

from app import permissions
from app.database.dml import rows_matched
from app.extensions import db
from app.models import ContentStatus, Event, EventQuestion, Member
from app.models.base import utcnow
from app.permissions import moderated_group_ids
from app.services import ServiceError
from app.services.common.audit import audit, notify
from app.services.moderation.notices import ends_sentence, guideline_label, stored_note
from app.services.moderation.queue import REASON_MAX

DECISIONS = ("approve", "reject")


def open_questions_query(moderator: Member) -> Select:
    """Open question items this moderator looks after: events of their groups (and, for moderators of every
    group, events outside any group)."""
    query = select(EventQuestion).join(Event, Event.id == EventQuestion.event_id).where(EventQuestion.in_review)
    scope = moderated_group_ids(moderator)
    if scope is not None:
        query = query.where(Event.group_id.in_(scope))
    return query


def open_questions(moderator: Member, limit: int = 50) -> list[EventQuestion]:
    """Crisis questions first, then the oldest, each with its event, group and author (one statement)."""
    return list(
        db.session.scalars(
            open_questions_query(moderator)
            .options(
                joinedload(EventQuestion.event).joinedload(Event.group),
                joinedload(EventQuestion.author),
            )
            .order_by(EventQuestion.urgent.desc(), EventQuestion.created_at, EventQuestion.id)
            .limit(limit)
        )
    )


def count_open_questions(moderator: Member) -> int:
    query = open_questions_query(moderator).with_only_columns(func.count()).order_by(None)
    return db.session.scalar(query) or 0


def _clean_note(action: str, guideline: str, note: str) -> str:
    stored = stored_note(guideline, note)
    if action == "reject" and not stored:
        raise ServiceError(_("Please say why the question is rejected: the author will see your reason."), "note")
    if len(stored) > REASON_MAX or "\x00" in stored:
        raise ServiceError(_("Keep the reason under %(limit)d characters.", limit=REASON_MAX), "note")
    return stored


def decide_question(
    moderator: Member,
    question: EventQuestion,
    action: str,
    note: str = "",
    guideline: str = "",
    seen_version: int | None = None,
) -> EventQuestion:
    """Approve (publish) or reject a question in the queue; exactly one of two simultaneous decisions wins."""
    permissions.ensure(moderator, "moderate_question", question)
    if action not in DECISIONS:
        raise ServiceError(_("Unknown decision."))
    stored = _clean_note(action, guideline, note)
    before = question.status
    after = ContentStatus.VISIBLE if action == "approve" else ContentStatus.REJECTED
    conditions = [EventQuestion.id == question.id, EventQuestion.in_review.is_(True)]
    if seen_version is not None:
        conditions.append(EventQuestion.version == seen_version)
    matched = rows_matched(
        update(EventQuestion)
        .where(*conditions)
        .values(
            in_review=False,
            status=after,
            decided_at=utcnow(),
            decided_by_id=moderator.id,
            decision_note=stored,
            version=EventQuestion.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if matched != 1:
        db.session.rollback()
        raise ServiceError(_("Another moderator already decided about this question, or it changed meanwhile."))
    audit(
        moderator,
        f"question_{action}",
        question,
        reason=stored,
        group_id=question.event.group_id,
        before={"status": before.value},
        after={"status": after.value},
    )
    _tell_author(question, action, guideline, note, changed=before != after)
    db.session.commit()
    db.session.refresh(question)
    return question


def _tell_author(question: EventQuestion, action: str, guideline: str, note: str, *, changed: bool) -> None:
    """The author hears the outcome (in their language); a published question kept as it was needs no notice."""
    link = url_for("events.show", event_id=question.event_id, _anchor=f"question-{question.id}")
    if action == "approve":
        if changed:
            published = lazy_gettext("Your question for an event was published.")
            notify(question.author_id, "question_approved", published, link)
        return
    notify(question.author_id, "question_rejected", rejected_question_notice(guideline, note), link)


def rejected_question_notice(guideline: str, note: str) -> str:
    """Why the question was not published, as a whole sentence with the moderator's words."""
    guideline, note = guideline.strip(), note.strip()
    if guideline and not note:
        return lazy_gettext(
            "A moderator did not publish your question because it goes against the guideline “%(guideline)s”.",
            guideline=guideline_label(guideline),
        )
    if guideline and ends_sentence(note):
        return lazy_gettext(
            "A moderator did not publish your question because it goes against the guideline “%(guideline)s”: %(note)s",
            guideline=guideline_label(guideline),
            note=note,
        )
    if guideline:
        return lazy_gettext(
            "A moderator did not publish your question because it goes against the guideline “%(guideline)s”: "
            "%(note)s.",
            guideline=guideline_label(guideline),
            note=note,
        )
    if ends_sentence(note):
        return lazy_gettext("A moderator did not publish your question: %(note)s", note=note)
    return lazy_gettext("A moderator did not publish your question: %(note)s.", note=note)
