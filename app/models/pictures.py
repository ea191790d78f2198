"""Pictures attached to a post, a private message, a resource page or an announcement."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.member import Member


class PicturePolicy(enum.StrEnum):
    """Who may attach pictures to posts in a group (staff choose per group)."""

    EVERYONE = "everyone"
    TRUSTED = "trusted"
    NOBODY = "nobody"


class Picture(Model):
    """One attached picture. Its files are named by the SHA-256 of their bytes, so the same picture posted twice is
    stored once and several rows may share a file: a file goes from storage only when no row names it any more."""

    __tablename__ = "pictures"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    # Exactly one of these is set: what the picture belongs to, and so who may see it.
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    announcement_id: Mapped[int | None] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    alt: Mapped[str] = mapped_column(String(500))
    full_key: Mapped[str] = mapped_column(String(80))
    thumb_key: Mapped[str] = mapped_column(String(80))
    width: Mapped[int]
    height: Mapped[int]
    thumb_width: Mapped[int]
    thumb_height: Mapped[int]
    byte_size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[Member] = relationship()

    __table_args__ = (
        Index("ix_pictures_post_id", "post_id", "position"),
        Index("ix_pictures_message_id", "message_id", "position"),
        Index("ix_pictures_resource_id", "resource_id", "position"),
        Index("ix_pictures_announcement_id", "announcement_id", "position"),
        # "Does any row still name this file?" before a file leaves storage.
        Index("ix_pictures_full_key", "full_key"),
        Index("ix_pictures_thumb_key", "thumb_key"),
    )

    @property
    def extension(self) -> str:
        return self.full_key.rsplit(".", 1)[-1]

    def __repr__(self) -> str:
        return f"<Picture {self.id}>"
