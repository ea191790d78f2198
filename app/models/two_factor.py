"""A member's second factor: the authenticator app's shared secret and the recovery codes that stand in for it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow


class TotpSecret(Model):
    """The authenticator app's secret (RFC 6238). Unconfirmed while enrolling; sign-in asks for it once confirmed."""

    __tablename__ = "totp_secrets"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))  # base32, as the app is given it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The 30-second step of the last code accepted: a code of that step or an earlier one is never taken again.
    last_step: Mapped[int | None]


class RecoveryCode(Model):
    """One single-use code for when the phone is lost, stored as the SHA-256 of a random 80-bit code."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
