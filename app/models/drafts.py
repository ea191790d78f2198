"""A member's unsent writing, kept on the server per place so no text is ever lost."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow


class Draft(Model):
    """One composer's text for one member: a new topic in a group, a reply, an edit, a private message.

    `kind` and `target_id` name the place (app/services/drafts/places.py); only its owner ever reads it."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(default=0)  # the group, topic, post or conversation; 0 for a new message
    title: Mapped[str] = mapped_column(Text, default="")  # a topic's title or a message's subject
    recipients: Mapped[str] = mapped_column(Text, default="")  # a new message's "To"
    body: Mapped[str] = mapped_column(Text, default="")
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (UniqueConstraint("member_id", "kind", "target_id", name="uq_drafts_member_id_kind_target_id"),)
