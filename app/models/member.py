"""Members, their login sessions and their group memberships."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.text.lazy import lazy_text as _l


class Role(enum.StrEnum):
    MEMBER = "member"
    MENTOR = "mentor"
    MODERATOR = "moderator"
    STAFF = "staff"
    ADMIN = "admin"


class MemberStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"  # the account was erased: a tombstone row without personal data (services.erasure)


class ProfileVisibility(enum.StrEnum):
    EVERYONE = "everyone"
    MEMBERS = "members"  # signed-in members only


STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})
# Everyone but plain members wears their role beside their name, so readers know who speaks for the team.
ROLE_BADGES = {
    Role.MENTOR: _l("Mentor"),
    Role.MODERATOR: _l("Moderator"),
    Role.STAFF: _l("Staff"),
    Role.ADMIN: _l("Admin"),
}
MODERATING_ROLES = frozenset({Role.MODERATOR, Role.STAFF, Role.ADMIN})


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    """Store enums by value as a portable VARCHAR with a CHECK constraint."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


class Member(UserMixin, Model):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    # NFKC + casefold of the display name: "Ann", "ANN" and "Ａｎｎ" collide here.
    display_name_key: Mapped[str] = mapped_column(String(160), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "member_role"), default=Role.MEMBER)
    status: Mapped[MemberStatus] = mapped_column(
        enum_column(MemberStatus, "member_status"), default=MemberStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    guidelines_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The guidelines version last accepted; `guidelines_outdated` is set for everyone by a material change,
    # so the posting rules can ask without a query.
    guidelines_version: Mapped[int | None]
    guidelines_outdated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    post_count: Mapped[int] = mapped_column(default=0)
    # Every post of theirs that was ever published: trust grows with it and never shrinks on delete.
    approved_posts: Mapped[int] = mapped_column(default=0)
    # How often others marked this member's replies helpful (denormalised from helpful_marks).
    helpful_received: Mapped[int] = mapped_column(default=0, server_default="0")
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    # When the member proved they read mail at `email` (None: not yet; only matters with KINDRED_VERIFY_EMAIL on).
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A new address waiting for its confirmation link to be followed; `email` changes only then.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    # Plain text, shown escaped on the profile (services.profiles.BIO_MAX).
    bio: Mapped[str] = mapped_column(Text, default="", server_default="")
    profile_visibility: Mapped[ProfileVisibility] = mapped_column(
        enum_column(ProfileVisibility, "profile_visibility"),
        default=ProfileVisibility.EVERYONE,
        server_default=ProfileVisibility.EVERYONE.value,
    )
    # Consent to staff reposting their public posts outside Kindred, and to their display name going with them:
    # both off until the member turns them on (app/permissions/sharing.py reads them).
    repost_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    repost_name_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The member's own choice of language and time zone; None follows the browser (language) and UTC (time).
    locale: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))

    # Set by the login loader to the LoginSession that authenticated this request. Not a column: its annotation is
    # for the type checker only, since the ORM would take an annotation in the class body for a mapping.
    if TYPE_CHECKING:
        current_login_session: LoginSession | None
    current_login_session = None

    def get_id(self) -> str:  # Flask-Login stores the session token, never the member id
        assert self.current_login_session is not None
        return self.current_login_session.token

    @property
    def is_active(self) -> bool:  # suspended members can still sign in and read
        return True

    @property
    def is_suspended(self) -> bool:
        """Suspended now: a suspension with an end date lapses by itself."""
        if self.status != MemberStatus.SUSPENDED:
            return False
        return self.suspended_until is None or self.suspended_until > utcnow()

    @property
    def role_badge(self) -> str | None:
        """The role shown beside the member's name wherever they appear, or None for a member like any other."""
        return ROLE_BADGES.get(self.role)

    def __repr__(self) -> str:
        return f"<Member {self.id} {self.role}>"


class LoginSession(Model):
    """One signed-in browser. Deleting the row signs that browser out, whatever cookie it kept."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The token itself stays in the cookie; only its SHA-256 is stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the member sees in their list of browsers, derived at sign-in (services.members.browsers): the raw
    # User-Agent and the address are never kept, so this table says no more than "Firefox on Android".
    browser: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    platform: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    # When the password (or a second factor) was last proved in this browser: sensitive actions ask again after
    # a while (services.members.confirmation). None for sessions older than this column.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[Member] = relationship(lazy="joined", innerjoin=True)

    # Never persisted: the raw token exists only for the response that sets the cookie.
    token = ""  # not a column


class GroupMembership(Model):
    __tablename__ = "group_memberships"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_group_memberships_group_id", "group_id"),)
