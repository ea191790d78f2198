"""The community guidelines, kept as numbered versions: each save adds one, none is ever changed."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup
from sqlalchemy import Boolean, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.member import Member


class GuidelinesVersion(Model):
    """One saved text of the guidelines. A material change asks every member to accept it before posting again."""

    __tablename__ = "guidelines_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # 1, 2, 3...: unique, so two staff saving at once cannot both publish "version 4".
    number: Mapped[int] = mapped_column(unique=True)
    raw: Mapped[str] = mapped_column(Text)
    cooked: Mapped[str] = mapped_column(Text)
    change_note: Mapped[str] = mapped_column(String(300))
    material: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[Member | None] = relationship()

    @property
    def cooked_html(self) -> Markup:
        """The sanitised HTML: rendering.cook() is the only writer of `cooked`."""
        return Markup(self.cooked)  # noqa: S704 - cooked passed through rendering.sanitize_html
