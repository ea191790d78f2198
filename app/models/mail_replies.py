"""Replies that arrived by e-mail: one row per handled message, so a message delivered twice is posted once and
a member gets at most one polite answer an hour. No address, subject or text is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow


class MailReply(Model):
    """One incoming reply e-mail and what became of it (posted, refused, empty, ...)."""

    __tablename__ = "mail_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the Message-ID (or of the whole message when it has none): recognises a redelivery.
    message_key: Mapped[str] = mapped_column(String(64), unique=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(40))
    # We sent the member an e-mail back about it (counted for the one-an-hour limit).
    answered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_mail_replies_member_received", "member_id", "received_at"),)

    def __repr__(self) -> str:
        return f"<MailReply {self.id} {self.outcome}>"
