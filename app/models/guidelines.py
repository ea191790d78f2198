"""The community guidelines, kept as numbered versions: each save adds one, none is ever changed.

A version number belongs to a text in the community's default language (an *original*). A text in another language
is a *translation* of the version in force when it was saved: it carries that version's number, never a new one, so
translating is never a material change and never asks anyone to accept again. A language may be translated more than
once for the same version (a corrected translation); the newest one is shown.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import CookedText, UTCDateTime, community_locale, utcnow
from app.models.member import Member


class GuidelinesVersion(CookedText, Model):
    """One saved text of the guidelines. A material change asks every member to accept it before posting again."""

    __tablename__ = "guidelines_versions"
    __table_args__ = (
        # 1, 2, 3...: unique among originals, so two staff saving at once cannot both publish "version 4".
        Index(
            "uq_guidelines_versions_original_number",
            "number",
            unique=True,
            sqlite_where=text("NOT is_translation"),
            postgresql_where=text("NOT is_translation"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int]
    locale: Mapped[str] = mapped_column(String(16), default=community_locale)
    is_translation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    raw: Mapped[str] = mapped_column(Text)
    cooked: Mapped[str] = mapped_column(Text)
    change_note: Mapped[str] = mapped_column(String(300))
    material: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[Member | None] = relationship()
