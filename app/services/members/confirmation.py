"""Proving again who one is before a sensitive action, when the last proof in this browser is a while ago.

A session is "confirmed" when it started (signing in proves the password or what stands for it) and whenever the
member proves a factor again. Other factors join by adding a ConfirmationMethod to METHODS and calling
confirm_session() once their check passes: members without a password (made through the organisation's identity
provider) then confirm with the second factor instead.

Wrong passwords here are throttled like wrong sign-ins (services.members.login_throttle), under a key of the
member's own: someone holding a stolen session cannot guess on, and strangers failing sign-ins for the member's
address cannot lock the member out of confirming.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from app.extensions import db
from app.models import Member
from app.models.base import utcnow
from app.services import ServiceError
from app.services.members import login_throttle, passwords, two_factor
from app.text.lazy import LazyText
from app.text.lazy import lazy_text as _l

WRONG_PASSWORD = _l("That is not your password. Please try again.")  # noqa: S105


@dataclass(frozen=True)
class ConfirmationMethod:
    """One way a member may confirm: `endpoint` is the page that asks for it, when `available` for the member."""

    name: str
    label: LazyText  # e.g. "Use your authenticator app"
    endpoint: str
    available: Callable[[Member], bool]


def has_password(member: Member) -> bool:
    """Members made through the organisation's identity provider may have no password of their own."""
    return bool(member.password_hash) and member.password_hash != passwords.UNUSABLE_HASH


def has_authenticator(member: Member) -> bool:
    return two_factor.confirmed_secret(member) is not None


METHODS: list[ConfirmationMethod] = [
    ConfirmationMethod("password", _l("Enter your password"), "account.confirm", has_password),
    ConfirmationMethod("code", _l("Use a code from your authenticator app"), "account.confirm_code", has_authenticator),
]


def methods_for(member: Member) -> list[ConfirmationMethod]:
    """The ways this member can confirm, in the order offered."""
    return [method for method in METHODS if method.available(member)]


def window() -> timedelta:
    """How long a confirmation lasts (REAUTH_SECONDS)."""
    return timedelta(seconds=current_app.config["REAUTH_SECONDS"])


def confirmed_recently(member: Member, now: datetime | None = None) -> bool:
    """Whether this browser's session proved a factor within the window."""
    login_session = member.current_login_session
    if login_session is None or login_session.confirmed_at is None:
        return False
    return (now or utcnow()) - login_session.confirmed_at <= window()


def confirm_session(member: Member) -> None:
    """Record that the member has just proved a factor in this browser (any sign-in step may call this)."""
    login_session = member.current_login_session
    assert login_session is not None, "confirm_session() needs the member's signed-in session"
    login_session.confirmed_at = utcnow()
    db.session.commit()


def _throttle_key(member: Member) -> str:
    return hashlib.sha256(f"kindred.confirm:{member.id}".encode()).hexdigest()


def retry_after(member: Member) -> int:
    """Seconds before this member may try a password here again (0: now)."""
    return login_throttle.retry_after(_throttle_key(member))


def confirm_with_password(member: Member, password: str) -> None:
    """Check the password and confirm the session; a wrong one counts towards the throttle."""
    key = _throttle_key(member)
    if not has_password(member) or not passwords.verify(member.password_hash, password):
        login_throttle.record_failure(key)
        raise ServiceError(str(WRONG_PASSWORD), "password")
    login_throttle.clear(key)
    confirm_session(member)


def confirm_with_code(member: Member, code: str) -> None:
    """Check an authenticator or recovery code (each is accepted once) and confirm the session."""
    key = _throttle_key(member)
    if not has_authenticator(member) or not two_factor.verify_code(member, code):
        login_throttle.record_failure(key)
        raise ServiceError(str(two_factor.WRONG_CODE), "code")
    login_throttle.clear(key)
    confirm_session(member)
