"""A member's questions and votes in their export, and what their account's deletion does to them.

Deletion follows posts: their questions stay, by "Former member", unless they asked for their posts to be removed,
when their questions go too. Their votes always go, and the counts they added with them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from app.extensions import db
from app.models import EventQuestion, EventQuestionVote, Member


def exported_questions(member: Member) -> list[dict[str, Any]]:
    """Questions they asked, with what became of them (and staff's answer, which was written for them)."""
    query = select(EventQuestion).where(EventQuestion.author_id == member.id).order_by(EventQuestion.id)
    return [
        {
            "id": question.id,
            "event_id": question.event_id,
            "body": question.body,
            "status": question.status,
            "created_at": question.created_at,
            "want_count": question.want_count,
            "answer": question.answer,
            "answered_at": question.answered_at,
        }
        for question in db.session.scalars(query)
    ]


def exported_votes(member: Member) -> list[dict[str, Any]]:
    """The questions they wanted to know the answer to too."""
    query = select(EventQuestionVote.question_id, EventQuestionVote.created_at).where(
        EventQuestionVote.member_id == member.id
    )
    return [
        {"question_id": row.question_id, "created_at": row.created_at}
        for row in db.session.execute(query.order_by(EventQuestionVote.question_id))
    ]


def erase_questions(member: Member, *, remove: bool) -> None:
    """Their votes and the counts they added go; their questions go too with `remove`, else lose their author."""
    voted = select(EventQuestionVote.question_id).where(EventQuestionVote.member_id == member.id)
    db.session.execute(
        update(EventQuestion)
        .where(EventQuestion.id.in_(voted))
        .values(want_count=EventQuestion.want_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(EventQuestionVote).where(EventQuestionVote.member_id == member.id))
    if remove:
        theirs = select(EventQuestion.id).where(EventQuestion.author_id == member.id)
        db.session.execute(delete(EventQuestionVote).where(EventQuestionVote.question_id.in_(theirs)))
        db.session.execute(delete(EventQuestion).where(EventQuestion.author_id == member.id))
    else:
        db.session.execute(update(EventQuestion).where(EventQuestion.author_id == member.id).values(author_id=None))
