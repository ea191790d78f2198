"""Questions members send in advance of an event, moderated like posts, and their "I want to know too" votes."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.community import ContentStatus
from app.models.events import Event
from app.models.member import Member, enum_column

QUESTION_MAX = 2000
ANSWER_MAX = 20_000


class EventQuestion(Model):
    """One member's question to an event. While `in_review` it is an open item of the moderators' queue (held,
    or published and flagged by the review rules); `version` guards its decision like a review item's."""

    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    # Cooked once at write time by app.text.rendering.cook, the only writer of it.
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[ContentStatus] = mapped_column(
        enum_column(ContentStatus, "event_question_status"), default=ContentStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The review queue's side: why the rules queued it (English, as review items store them), crisis first.
    in_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Staff's answer after the event (Markdown, cooked once).
    answer: Mapped[str] = mapped_column(Text, default="", server_default="")
    answer_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    # Denormalised from event_question_votes, changed only in the transaction that adds or removes a vote.
    want_count: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship()
    author: Mapped[Member | None] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[Member | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        # The event's list for the host: most wanted first, then oldest.
        Index("ix_event_questions_event_listing", "event_id", "status", "want_count", "created_at"),
        # The review queue: open items, urgent first, then oldest.
        Index("ix_event_questions_queue", "in_review", "urgent", "created_at"),
        Index("ix_event_questions_author_id", "author_id"),
        Index("ix_event_questions_decided_by_id", "decided_by_id"),
        Index("ix_event_questions_answered_by_id", "answered_by_id"),
    )

    @property
    def body_markup(self) -> Markup:
        return Markup(self.body_html or "")  # noqa: S704 - cooked by rendering.cook (sanitize_html)

    @property
    def answer_markup(self) -> Markup:
        return Markup(self.answer_html or "")  # noqa: S704 - cooked by rendering.cook (sanitize_html)

    @property
    def published(self) -> bool:
        return self.status == ContentStatus.VISIBLE


class EventQuestionVote(Model):
    """A member's "I want to know too" on someone else's question: one per member and question."""

    __tablename__ = "event_question_votes"

    question_id: Mapped[int] = mapped_column(ForeignKey("event_questions.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_event_question_votes_member_id", "member_id"),)
