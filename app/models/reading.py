"""How far each member has read each topic: the newest post they have been shown there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow


class TopicRead(Model):
    """One row per member and topic they opened. Posts above `last_post_id` are new to them; a topic without a row
    was never opened. The position only moves forward (app.services.community.reading)."""

    __tablename__ = "topic_reads"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True)
    # A post id, not a foreign key: the newest post seen may later be removed, and the position still holds.
    last_post_id: Mapped[int]
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Deleting a topic removes its read positions through this index, not a scan of every member's.
    __table_args__ = (Index("ix_topic_reads_topic_id", "topic_id"),)
