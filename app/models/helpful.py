"""Helpful marks: a member saying "this reply helped me". The counts live on posts and members (denormalised)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow


class HelpfulMark(Model):
    """One member's mark on one reply: the primary key makes a second mark impossible, even in a race."""

    __tablename__ = "helpful_marks"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    # The post's author, copied when the mark is given, so "most helpful contributors" needs no join to posts.
    receiver_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        # "Most helpful contributors" counts a period's marks per receiver from this index alone.
        Index("ix_helpful_marks_created_receiver", "created_at", "receiver_id"),
        Index("ix_helpful_marks_member_id", "member_id"),
    )
