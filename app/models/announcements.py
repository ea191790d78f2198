"""Site-wide announcements shown as a banner, and which members dismissed which."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup
from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.member import Member


class Announcement(Model):
    """A banner on every page until `ends_at` (or for good when it has none, until staff end it)."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    raw: Mapped[str] = mapped_column(Text)
    cooked: Mapped[str] = mapped_column(Text)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[Member | None] = relationship()

    @property
    def cooked_html(self) -> Markup:
        """The sanitised HTML: rendering.cook() is the only writer of `cooked`."""
        return Markup(self.cooked)  # noqa: S704 - cooked passed through rendering.sanitize_html


class AnnouncementDismissal(Model):
    """A member closed this banner: it stays closed for them on every device."""

    __tablename__ = "announcement_dismissals"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    dismissed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
