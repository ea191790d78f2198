"""Earlier versions of a post's text (and of its topic's title, for an opening post), kept at every edit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.member import Member


class PostRevision(Model):
    """Version `number` of a post: number 1 is the text as first posted, the highest is the current text.

    A redacted version keeps its row, number, editor and time, but its words (and title) are gone for good."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    number: Mapped[int]
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The topic's title as it was, for an opening post; None for replies (and once redacted).
    title: Mapped[str | None] = mapped_column(String(200))
    raw: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    redacted_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))

    editor: Mapped[Member | None] = relationship(foreign_keys=[editor_id])

    __table_args__ = (UniqueConstraint("post_id", "number"),)

    @property
    def redacted(self) -> bool:
        return self.redacted_at is not None

    def __repr__(self) -> str:
        return f"<PostRevision {self.post_id}#{self.number}>"
