"""Site-wide announcements shown as a banner, their texts in other languages, and which members dismissed which."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import CookedText, UTCDateTime, community_locale, utcnow
from app.models.member import Member
from app.models.pictures import Picture


class Announcement(CookedText, Model):
    """A banner on every page until `ends_at` (or for good when it has none, until staff end it)."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The text every reader falls back to, written in `locale` (the community's default language when saved).
    raw: Mapped[str] = mapped_column(Text)
    cooked: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(16), default=community_locale)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[Member | None] = relationship()
    # Loaded on purpose where needed (the staff list, the edit form): the banner joins the reader's one instead.
    translations: Mapped[list[AnnouncementTranslation]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="AnnouncementTranslation.locale"
    )
    # Shown beneath the text: the banner's one statement joins them in, like the reader's translation.
    pictures: Mapped[list[Picture]] = relationship(order_by=Picture.position, viewonly=True, lazy="raise")


class AnnouncementTranslation(CookedText, Model):
    """The announcement's text in one more language, for readers of that language."""

    __tablename__ = "announcement_translations"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True)
    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    raw: Mapped[str] = mapped_column(Text)
    cooked: Mapped[str] = mapped_column(Text)


class AnnouncementDismissal(Model):
    """A member closed this banner: it stays closed for them on every device."""

    __tablename__ = "announcement_dismissals"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    dismissed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
