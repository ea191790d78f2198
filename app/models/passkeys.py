"""Passkeys and security keys (WebAuthn credentials) a member registered, and the challenges sent to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, LargeBinary, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow

PASSKEY_NAME_MAX = 60
CREDENTIAL_ID_MAX = 1023  # the WebAuthn limit on a credential id, in bytes


class Passkey(Model):
    """One WebAuthn credential: the public half of a key that only the member's device or security key holds."""

    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    # Unique across the site: a sign-in without a password finds the member by it alone.
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(CREDENTIAL_ID_MAX), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(default=0)
    # The random user handle the authenticator stores with a discoverable credential; never the member id.
    user_handle: Mapped[bytes] = mapped_column(LargeBinary(64))
    transports: Mapped[str] = mapped_column(String(100), default="", server_default="")  # comma-separated hints
    name: Mapped[str] = mapped_column(String(PASSKEY_NAME_MAX))
    # The member's choice: this passkey alone (it checks a PIN or fingerprint) signs them in, no password asked.
    passwordless: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasskeyChallenge(Model):
    """A challenge handed to a browser, kept until it is answered once or expires: the session cookie alone could
    be replayed, this row cannot be used twice."""

    __tablename__ = "passkey_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the challenge; the challenge itself travels in the browser's session.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "register", "sign_in", "second_factor"
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_passkey_challenges_expires_at", "expires_at"),
        Index("ix_passkey_challenges_member_id", "member_id"),
    )
