"""The outbox: e-mail written in the same transaction as the event that causes it, sent later by a worker."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.member import enum_column


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Model):
    """One e-mail waiting for (or done with) the `send-mail` worker. Never lost: a failed try only delays it."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # Extra headers such as List-Unsubscribe; From/To/Subject are set by the worker.
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Not before this time: moved forward by the back-off after each failed try.
    send_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # The SMTP error class and code only: never the body or the address.
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus, "mail_status"), default=MailStatus.QUEUED, server_default=MailStatus.QUEUED.value
    )

    # The worker asks "queued and due, oldest first": status, then send_after, then id.
    __table_args__ = (Index("ix_outbox_messages_due", "status", "send_after", "id"),)

    def __repr__(self) -> str:  # no address or subject: reprs end up in logs
        return f"<OutboxMessage {self.id} {self.status} attempts={self.attempts}>"
