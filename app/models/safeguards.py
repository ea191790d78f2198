"""Bookkeeping for two safeguards: failed sign-ins per account, and forms already submitted once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow


class LoginThrottle(Model):
    """Recent failed sign-ins for one e-mail address, known or not (so a refusal reveals nothing about accounts)."""

    __tablename__ = "login_throttles"

    # SHA-256 of the normalised address: addresses of people who are not members are never stored.
    account_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FormSubmission(Model):
    """One submitted form, by the key its page carried: the same key twice means a double submission."""

    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    # What the first submission created ("post", "message", ...) and its id, where a repeat is sent instead.
    kind: Mapped[str] = mapped_column(String(20), default="")
    target_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (UniqueConstraint("member_id", "key", name="uq_form_submissions_member_id_key"),)
