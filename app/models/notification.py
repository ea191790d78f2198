"""In-app notifications, each member's choice of how to hear about each kind, and the daily digests sent."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.member import enum_column


class Notification(Model):
    """An in-app message to one member: replies, mentions, helpful marks, messages, decisions about their posts."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The post it is about (replies, mentions), so a post published twice (re-held after an edit) notifies once.
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    # Waiting for the member's next daily digest e-mail.
    digest_due: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        Index("ix_notifications_member_unread", "member_id", "read_at", "id"),
        Index("ix_notifications_post_id", "post_id"),
    )


class Delivery(enum.StrEnum):
    """How a member hears about one kind of notification."""

    NONE = "none"
    IN_APP = "in_app"
    EMAIL = "email"  # in-app, and an e-mail straight away
    DIGEST = "digest"  # in-app, and a line in the daily digest e-mail


class NotificationPreference(Model):
    """A member's choice for one kind; no row means the kind's default (app.services.notify.preferences.DEFAULTS)."""

    __tablename__ = "notification_preferences"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery, "notification_delivery"))


class DigestSent(Model):
    """One daily digest queued for a member: the primary key makes a second one on the same day impossible."""

    __tablename__ = "digests_sent"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
