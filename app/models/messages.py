"""Private messages: conversations, their participants and messages, blocks between members, and reports.

Kept deliberately plain for export and erasure: a member's own words are `Message.author_id == member.id`, their
conversations are their `ConversationParticipant` rows, their blocks are `Block.blocker_id == member.id`.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import CookedText, UTCDateTime, utcnow
from app.models.member import Member, enum_column
from app.models.moderation import FlagReason
from app.models.pictures import Picture


class Conversation(Model):
    """A private exchange between two or more members. Only its participants ever read it."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Denormalised from messages, so lists sort and pages paginate without counting.
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_id: Mapped[int] = mapped_column(default=0)
    message_count: Mapped[int] = mapped_column(default=0)

    participants: Mapped[list[ConversationParticipant]] = relationship(
        back_populates="conversation", order_by="ConversationParticipant.joined_at", cascade="all, delete-orphan"
    )


class ConversationParticipant(Model):
    """One member's place in a conversation: unread state, and whether they left it."""

    __tablename__ = "conversation_participants"

    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Unread while the conversation's last_message_id is greater (ids, not times: two messages may share a time).
    last_read_message_id: Mapped[int] = mapped_column(default=0)

    conversation: Mapped[Conversation] = relationship(back_populates="participants")
    member: Mapped[Member] = relationship()

    __table_args__ = (Index("ix_conversation_participants_member_id", "member_id"),)

    @property
    def active(self) -> bool:
        return self.left_at is None

    @property
    def unread(self) -> bool:
        return self.conversation.last_message_id > self.last_read_message_id


class Message(CookedText, Model):
    """One message in a conversation, Markdown cooked at write time. Bodies never go to logs or notifications."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    raw: Mapped[str] = mapped_column(Text)
    cooked: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Removed by a moderator after a report: participants see a placeholder instead.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))

    conversation: Mapped[Conversation] = relationship()
    author: Mapped[Member | None] = relationship(foreign_keys=[author_id])
    # Loaded with the page's messages (app.messages.queries); written by app.services.pictures only.
    pictures: Mapped[list[Picture]] = relationship(order_by=Picture.position, viewonly=True)

    __table_args__ = (Index("ix_messages_conversation_id", "conversation_id", "id"),)


class Block(Model):
    """`blocker` receives nothing from `blocked`: no messages, no new conversations that include them."""

    __tablename__ = "member_blocks"

    blocker_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    blocked: Mapped[Member] = relationship(foreign_keys=[blocked_id])

    __table_args__ = (Index("ix_member_blocks_blocked_id", "blocked_id"),)


class MessageReportStatus(enum.StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"  # looked at and left in place
    REMOVED = "removed"  # the message was removed


class MessageReport(Model):
    """A participant's report of one message: the moderators see that message alone, never its conversation."""

    __tablename__ = "message_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    reason: Mapped[FlagReason] = mapped_column(enum_column(FlagReason, "message_report_reason"))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MessageReportStatus] = mapped_column(
        enum_column(MessageReportStatus, "message_report_status"), default=MessageReportStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(Text, default="")

    message: Mapped[Message] = relationship()
    reporter: Mapped[Member | None] = relationship(foreign_keys=[reporter_id])

    __table_args__ = (
        UniqueConstraint("message_id", "reporter_id", name="uq_message_reports_message_reporter"),
        Index("ix_message_reports_status", "status", "created_at"),
    )
