"""Events: staff-run Q&A sessions, support meetings and webinars, members' RSVPs and their private calendar feeds."""

from __future__ import annotations

import enum
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.community import Group, Topic
from app.models.member import Member, enum_column
from app.text.lazy import lazy_text as _l


class EventKind(enum.StrEnum):
    QA = "qa"
    MEETING = "meeting"
    WEBINAR = "webinar"
    OTHER = "other"


EVENT_KIND_LABELS = {
    EventKind.QA: _l("Q&A with an expert"),
    EventKind.MEETING: _l("Support meeting"),
    EventKind.WEBINAR: _l("Webinar"),
    EventKind.OTHER: _l("Other event"),
}


class RsvpStatus(enum.StrEnum):
    GOING = "going"
    WAITING = "waiting"


class Event(Model):
    """One event. Times are stored in UTC; `timezone` is the zone staff wrote them in, shown beside them and used
    in calendar files."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Cooked once at write time by app.text.rendering.cook, the only writer of it.
    description_html: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    host: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(300), default="", server_default="")
    online_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    capacity: Mapped[int | None] = mapped_column()
    # Members holding a place; changed only by guarded UPDATEs (capacity not reached) so two members can never
    # take the same last place.
    going_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # A members-only group's events go with the group: SET NULL would make them public.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    questions: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Calendar clients replace their copy only when SEQUENCE grows; every edit and the cancelling raise it.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recap_topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    recap_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[Group | None] = relationship()
    created_by: Mapped[Member | None] = relationship()
    recap_topic: Mapped[Topic | None] = relationship()

    __table_args__ = (
        # Upcoming and past lists, in time order.
        Index("ix_events_starts_at", "starts_at", "id"),
        # A group page's next events.
        Index("ix_events_group_starts", "group_id", "starts_at"),
        Index("ix_events_created_by_id", "created_by_id"),
        Index("ix_events_recap_topic_id", "recap_topic_id"),
    )

    @property
    def kind_label(self) -> str:
        return EVENT_KIND_LABELS[self.kind]

    @property
    def description_markup(self) -> Markup:
        return Markup(self.description_html or "")  # noqa: S704 - cooked by rendering.cook (sanitize_html)

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.going_count, 0)


class EventRsvp(Model):
    """A member going to an event, or waiting for a place; "not going any more" deletes the row."""

    __tablename__ = "event_rsvps"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    status: Mapped[RsvpStatus] = mapped_column(enum_column(RsvpStatus, "event_rsvp_status"))
    # The waiting list is in (created_at, id) order: first come, first to move up.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Each set in the statement that claims the reminder, so no run of the job sends one twice.
    reminded_24h_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_1h_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    member: Mapped[Member] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "member_id", name="uq_event_rsvps_event_member"),
        # The waiting list of an event, in order, and the going list.
        Index("ix_event_rsvps_event_status", "event_id", "status", "created_at", "id"),
        Index("ix_event_rsvps_member_id", "member_id"),
    )


class EventCalendarFeed(Model):
    """A member's private calendar feed. Its address carries a token signed with the secret key over the member's
    id and this random key; a reset draws a new key, so every earlier address stops working."""

    __tablename__ = "event_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), unique=True)
    feed_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
