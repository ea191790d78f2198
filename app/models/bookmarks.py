"""Bookmarks: a member keeping a topic or one post for later, with a private note and an optional reminder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.community import Post, Topic

NOTE_MAX = 1000


class Bookmark(Model):
    """One member's bookmark on a topic (post_id empty) or on one post of it; seen by that member only."""

    __tablename__ = "bookmarks"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    # Removing a topic or post for good takes its bookmarks with it; a soft-deleted one leaves them "no longer
    # available" on the member's list.
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set in the same statement that claims a due reminder, so no run of the reminder job fires it twice.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    topic: Mapped[Topic] = relationship()
    post: Mapped[Post | None] = relationship()

    __table_args__ = (
        # One bookmark per member and post; NULLs never collide, so topic bookmarks need the partial index below.
        Index("uq_bookmarks_member_post", "member_id", "post_id", unique=True),
        Index(
            "uq_bookmarks_member_topic",
            "member_id",
            "topic_id",
            unique=True,
            sqlite_where=text("post_id IS NULL"),
            postgresql_where=text("post_id IS NULL"),
        ),
        # The member's list, newest first.
        Index("ix_bookmarks_member_created", "member_id", "created_at", "id"),
        # The reminder job: reminders not yet sent, soonest first.
        Index("ix_bookmarks_due", "reminded_at", "remind_at"),
        Index("ix_bookmarks_topic_id", "topic_id"),
        Index("ix_bookmarks_post_id", "post_id"),
    )
