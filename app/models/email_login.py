"""Sign-in links sent by e-mail: one row per link not yet used, so each link signs in once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow


class EmailLoginLink(Model):
    """A mailed sign-in link waiting to be used. Using it (or any other link of the member) deletes the row."""

    __tablename__ = "email_login_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the random nonce the link carries: the database alone cannot rebuild a working link.
    nonce_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The link expires fifteen minutes after this, whatever its signed timestamp says.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
