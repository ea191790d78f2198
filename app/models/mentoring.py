"""Mentors' work: welcoming new members' first posts, and checking in on members after a crisis-routed post."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.community import Post
from app.models.member import Member, enum_column


class Welcome(Model):
    """One new member's first published post as the mentors handle it: who claimed it and when (a claim lapses,
    see services.mentoring.welcomes), and who welcomed it and when. One row per post, so two claims cannot both win."""

    __tablename__ = "welcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    # A mentor's account deletion keeps the times (the dashboard's median) and drops who it was.
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    welcomed_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    welcomed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[Post] = relationship()
    claimed_by: Mapped[Member | None] = relationship(foreign_keys=[claimed_by_id])
    welcomed_by: Mapped[Member | None] = relationship(foreign_keys=[welcomed_by_id])

    # The dashboard's median reads the welcomes of a period.
    __table_args__ = (Index("ix_welcomes_welcomed_at", "welcomed_at"),)


class CheckInMethod(enum.StrEnum):
    MESSAGE = "message"  # a private message to the member
    REPLY = "reply"  # a reply in the topic


class CheckIn(Model):
    """A mentor checked in on the author of a crisis-routed post. One per post: the member shows again only after
    a later crisis-routed post."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    # The member checked on: their account deletion removes the row.
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    how: Mapped[CheckInMethod] = mapped_column(enum_column(CheckInMethod, "check_in_method"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
