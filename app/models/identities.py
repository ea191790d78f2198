"""Identities at the organisation's OpenID Connect provider, each linked to one member."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.member import Role, enum_column


class MemberIdentity(Model):
    """The provider's (issuer, subject) pair for a member: the provider's own stable id, never the e-mail address."""

    __tablename__ = "member_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The role the provider's claim gave the member at their last sign-in (None: it gave none), and the role they
    # had before it: a role granted by the provider goes back when the provider stops granting it, while a role
    # set by hand in Kindred (the member's role no longer equals `granted_role`) is never touched.
    granted_role: Mapped[Role | None] = mapped_column(enum_column(Role, "identity_granted_role"))
    role_before_grant: Mapped[Role | None] = mapped_column(enum_column(Role, "identity_role_before_grant"))

    __table_args__ = (Index("uq_member_identities_issuer_subject", "issuer", "subject", unique=True),)
