"""Follows: the topics and groups a member hears about, and the topics they muted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, false
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow


class TopicFollow(Model):
    """A member following (or, muted, deliberately not hearing about) one topic. One row per member and topic."""

    __tablename__ = "topic_follows"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True)
    # Muted: no notifications about this topic, even after the member posts in it again.
    muted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # "Who follows this topic?" on every published reply.
    __table_args__ = (Index("ix_topic_follows_topic_id", "topic_id"),)


class GroupFollow(Model):
    """A member hearing about new topics in one group."""

    __tablename__ = "group_follows"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_group_follows_group_id", "group_id"),)
