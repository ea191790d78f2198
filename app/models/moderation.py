"""The review queue, member flags, watched words, moderator scopes and the append-only audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint, event, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.community import Group, Post
from app.models.member import Member, enum_column
from app.text.lazy import lazy_text as _l


class ReviewKind(enum.StrEnum):
    HELD_POST = "held_post"  # held before publication by the review rules
    FLAGGED_POST = "flagged_post"  # published, then flagged by members or a watched word


class ReviewStatus(enum.StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    HIDDEN = "hidden"
    DISMISSED = "dismissed"  # flags looked at and found harmless: the post stays up


class WatchAction(enum.StrEnum):
    BLOCK = "block"
    HOLD = "hold"
    FLAG = "flag"


class FlagReason(enum.StrEnum):
    SPAM = "spam"
    MISINFORMATION = "misinformation"
    HARASSMENT = "harassment"
    PERSONAL_INFORMATION = "personal_information"
    AT_RISK = "at_risk"
    OTHER = "other"


FLAG_REASON_LABELS = {
    FlagReason.SPAM: _l("Spam or advertising"),
    FlagReason.MISINFORMATION: _l("Medical misinformation"),
    FlagReason.HARASSMENT: _l("Harassment or unkindness"),
    FlagReason.PERSONAL_INFORMATION: _l("Shares personal information"),
    FlagReason.AT_RISK: _l("Someone may be at risk"),
    FlagReason.OTHER: _l("Something else"),
}


class ReviewItem(Model):
    """One thing that needs a human decision. There is at most one open item per post."""

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReviewKind] = mapped_column(enum_column(ReviewKind, "review_kind"))
    status: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus, "review_status"), default=ReviewStatus.OPEN)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Why it was opened, as returned by services.review.review_verdict(); later reasons are appended.
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    decision_note: Mapped[str | None] = mapped_column(Text)
    # Bumped by every change; a decision only applies to the version the moderator saw.
    version: Mapped[int] = mapped_column(default=1)

    post: Mapped[Post] = relationship()
    group: Mapped[Group] = relationship()
    decided_by: Mapped[Member | None] = relationship()
    events: Mapped[list[ReviewEvent]] = relationship(
        back_populates="item", order_by="ReviewEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        # The queue order: open first, urgent first, then oldest.
        Index("ix_review_items_queue", "status", "urgent", "created_at"),
        # At most one open item per post, even when two flags arrive at the same moment.
        Index(
            "uq_review_items_open_post",
            "post_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )


class ReviewEvent(Model):
    """The history of a review item: opened, reopened, flagged, decided."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[ReviewItem] = relationship(back_populates="events")
    actor: Mapped[Member | None] = relationship()


class Flag(Model):
    """A member's report that a post breaks the guidelines. One per member and post."""

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    reason: Mapped[FlagReason] = mapped_column(enum_column(FlagReason, "flag_reason"))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[Member | None] = relationship()

    __table_args__ = (UniqueConstraint("post_id", "member_id", name="uq_flags_post_member"),)


class WatchedWord(Model):
    __tablename__ = "watched_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(100))
    # Case-folded phrase: one rule per word, whatever its case.
    phrase_key: Mapped[str] = mapped_column(String(400), unique=True)
    action: Mapped[WatchAction] = mapped_column(enum_column(WatchAction, "watch_action"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModeratorScope(Model):
    """Limits a moderator to some groups. A moderator with no scope rows moderates every group."""

    __tablename__ = "moderator_scopes"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)


class AuditEvent(Model):
    """Who did what to which target, and why. Append-only: updates and deletes are refused below."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None]
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor: Mapped[Member | None] = relationship()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _audit_is_append_only(mapper: object, connection: object, target: AuditEvent) -> None:
    raise PermissionError("The audit log is append-only: audit events cannot be changed or deleted.")
