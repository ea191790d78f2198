"""Words and phrases that staff add to the nudges shown before a post goes out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow

# Which nudge a staff phrase adds to: personal information or medical advice.
NUDGE_PHRASE_KINDS = ("personal", "advice")


class NudgePhrase(Model):
    __tablename__ = "nudge_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    phrase: Mapped[str] = mapped_column(String(100))
    # Case-folded phrase: one rule per phrase and kind, whatever its case.
    phrase_key: Mapped[str] = mapped_column(String(400))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "phrase_key", name="uq_nudge_phrases_kind_phrase_key"),)
