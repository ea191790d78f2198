"""Condition groups, their topics and the posts in them."""

from __future__ import annotations

import enum
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import Boolean, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.member import Member, enum_column


class ContentStatus(enum.StrEnum):
    VISIBLE = "visible"
    PENDING = "pending"
    REJECTED = "rejected"
    HIDDEN = "hidden"
    DELETED = "deleted"


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Sensitive groups hold every post for a moderator before it is published.
    review_all_posts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Denormalised counters, changed only in the transaction of the write that changes them.
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    member_count: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Group {self.slug}>"


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reply_count: Mapped[int] = mapped_column(default=0)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[ContentStatus] = mapped_column(
        enum_column(ContentStatus, "topic_status"), default=ContentStatus.VISIBLE
    )

    group: Mapped[Group] = relationship()
    author: Mapped[Member | None] = relationship()

    __table_args__ = (
        # The group page order: pinned first, then most recent activity.
        Index("ix_topics_group_listing", "group_id", "status", "pinned", "last_activity_at", "id"),
    )

    def __repr__(self) -> str:
        return f"<Topic {self.id}>"


class Post(db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    is_opening: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    raw: Mapped[str] = mapped_column(Text)
    cooked: Mapped[str] = mapped_column(Text)
    status: Mapped[ContentStatus] = mapped_column(
        enum_column(ContentStatus, "post_status"), default=ContentStatus.VISIBLE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A rejected post may be edited and sent for review once more.
    resubmitted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    topic: Mapped[Topic] = relationship()
    author: Mapped[Member | None] = relationship()

    __table_args__ = (
        # Topic pages read posts in id order; status in the index filters without touching rows.
        Index("ix_posts_topic_order", "topic_id", "id", "status"),
    )

    @property
    def cooked_html(self) -> Markup:
        """The sanitised HTML, safe to place in a page: rendering.cook() is the only writer of `cooked`."""
        return Markup(self.cooked)  # noqa: S704 - cooked passed through rendering.sanitize_html

    def __repr__(self) -> str:
        return f"<Post {self.id}>"
