"""Outgoing webhooks: addresses staff registered, and each delivery queued for them (an outbox of HTTP requests)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.member import enum_column


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Webhook(Model):
    """An address that hears about public events; `events` empty means every event."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    # Kept as typed: deliveries are signed with it, so it cannot be hashed. Never shown again, never logged.
    secret: Mapped[str] = mapped_column(String(200))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def wants(self, event: str) -> bool:
        """Does this webhook hear about `event`?"""
        return not self.events or event in self.events

    def __repr__(self) -> str:  # no address or secret: the path of a webhook address is often a secret too
        return f"<Webhook {self.id}>"


class WebhookDelivery(Model):
    """One event for one webhook: the exact body is fixed when queued, so every retry sends (and signs) the same."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(50))
    # The post the event is about: checked again before each try, so a post hidden or made private while its
    # delivery waits (a receiver down for hours) is never sent; deleting the post deletes its deliveries.
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Not before this time: moved forward by the back-off after each failed try.
    send_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_code: Mapped[int | None] = mapped_column()
    # What went wrong, in our words (error class, refused address): never the receiver's answer.
    last_error: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, "webhook_delivery_status"),
        default=DeliveryStatus.QUEUED,
        server_default=DeliveryStatus.QUEUED.value,
    )

    webhook: Mapped[Webhook] = relationship()

    __table_args__ = (
        Index("ix_webhook_deliveries_due", "status", "send_after", "id"),
        Index("ix_webhook_deliveries_webhook", "webhook_id", "id"),
        Index("ix_webhook_deliveries_post_id", "post_id"),
    )

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.id} {self.event} {self.status} attempts={self.attempts}>"
