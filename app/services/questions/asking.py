"""Members ask an event's questions (through the same review rules as posts) and mark "I want to know too"."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app import permissions
from app.database.dml import insert_once, rows_matched
from app.extensions import db
from app.models import ContentStatus, Event, EventQuestion, EventQuestionVote, Member
from app.models.base import utcnow
from app.models.event_questions import QUESTION_MAX
from app.services import ServiceError
from app.services.common import submissions
from app.services.common.cleaning import clean_text
from app.services.common.submissions import REPEAT_WINDOW
from app.services.moderation.screening import screen
from app.services.moderation.verdict import BLOCK, FLAG, HOLD, Verdict
from app.text.rendering import cook

# What a repeat may point to: questions their author still sees with their words.
STILL_ASKED = (ContentStatus.VISIBLE, ContentStatus.PENDING)


@dataclass(frozen=True)
class Asked:
    """What became of a submitted question: published, or held (urgently, for crisis words)."""

    question: EventQuestion
    verdict: Verdict

    @property
    def held(self) -> bool:
        return self.verdict.action == HOLD

    @property
    def crisis(self) -> bool:
        return self.verdict.urgent


def clean_question(body: str) -> str:
    return clean_text(body, limit=QUESTION_MAX, empty=_("Please write your question."), noun="Questions")


def _verdict(author: Member, event: Event, body: str) -> Verdict:
    """The posts' review rules; a blocked question is refused before anything is stored."""
    group = event.group
    verdict = screen(author, body, group_reviews_all=group is not None and group.review_all_posts)
    if verdict.action == BLOCK:
        raise ServiceError(
            _(
                "Your question uses words that are not allowed in this community. Please rephrase it and try again "
                "(see the community guidelines)."
            ),
            "body",
        )
    return verdict


def _still_asked(question_id: int) -> bool:
    return db.session.scalar(select(EventQuestion.status).where(EventQuestion.id == question_id)) in STILL_ASKED


def ask(author: Member, event: Event, body: str, submission_key: str | None = None) -> Asked:
    """Store a member's question: published, or held for the moderators (one per submission_key and repeat)."""
    permissions.ensure(author, "ask_question", event)
    body = clean_question(body)
    verdict = _verdict(author, event, body)
    same = submissions.repeat_key(f"question-{event.id}", body, REPEAT_WINDOW)
    claimed = submissions.claim(author, submission_key, "event_question", same, _still_asked)
    held = verdict.action == HOLD
    question = EventQuestion(
        event_id=event.id,
        author_id=author.id,
        body=body,
        body_html=cook(body),
        status=ContentStatus.PENDING if held else ContentStatus.VISIBLE,
        in_review=verdict.action in (HOLD, FLAG),
        urgent=verdict.urgent,
        reasons=list(verdict.reasons),
        created_at=utcnow(),
    )
    db.session.add(question)
    db.session.flush()
    submissions.settle(claimed, question.id)
    db.session.commit()
    return Asked(question, verdict)


def want(member: Member, question: EventQuestion) -> None:
    """ "I want to know too": counted once per member, however many times (or tabs) it is sent."""
    permissions.ensure(member, "want_question", question)
    if insert_once(EventQuestionVote, question_id=question.id, member_id=member.id):
        _count(question.id, +1)
    db.session.commit()


def unwant(member: Member, question: EventQuestion) -> None:
    """Take one's own vote back (nothing happens when there is none)."""
    removed = rows_matched(
        delete(EventQuestionVote).where(
            EventQuestionVote.question_id == question.id, EventQuestionVote.member_id == member.id
        )
    )
    if removed:
        _count(question.id, -1)
    db.session.commit()


def _count(question_id: int, delta: int) -> None:
    """The denormalised count, changed in SQL so that simultaneous votes all count."""
    db.session.execute(
        update(EventQuestion)
        .where(EventQuestion.id == question_id)
        .values(want_count=EventQuestion.want_count + delta)
        .execution_options(synchronize_session=False)
    )


def has_wanted(member: Member | None, question_ids: list[int]) -> set[int]:
    """Which of these questions the member marked (one statement for a page)."""
    if not isinstance(member, Member) or not question_ids:
        return set()
    query = select(EventQuestionVote.question_id).where(
        EventQuestionVote.member_id == member.id, EventQuestionVote.question_id.in_(question_ids)
    )
    return set(db.session.scalars(query))
