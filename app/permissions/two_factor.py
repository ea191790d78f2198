"""The second-factor gate: team roles use their powers over pending and reported content only once enrolled.

A stolen password alone then opens no more than a member's account: the rungs in `common` that grant moderating
and staff powers ask `enrolment_required` first, and the pages those powers lead to send the member to enrolment.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Member
from app.models.passkeys import Passkey
from app.models.two_factor import TotpSecret

_CACHE = "_has_second_factor"


def has_second_factor(member: Member) -> bool:
    """Whether the member has a confirmed second factor: an authenticator app or a passkey.
    Cached on the member for the request: rules ask it for every post of a page."""
    cached = member.__dict__.get(_CACHE)
    if cached is None:
        confirmed = select(TotpSecret.member_id).where(
            TotpSecret.member_id == member.id, TotpSecret.confirmed_at.is_not(None)
        )
        cached = db.session.scalar(confirmed) is not None or has_passkey(member)
        member.__dict__[_CACHE] = cached
    return bool(cached)


def has_passkey(member: Member) -> bool:
    """Whether the member registered at least one passkey (sign-in then asks for one as the second factor)."""
    return db.session.scalar(select(Passkey.id).where(Passkey.member_id == member.id).limit(1)) is not None


def forget_second_factor(member: Member) -> None:
    """The member's second factor changed: ask the database again next time."""
    member.__dict__.pop(_CACHE, None)


def enrolment_required(member: Member | None) -> bool:
    """True for a member whose role needs a second factor (KINDRED_REQUIRE_2FA_ROLES) and who has none yet."""
    if member is None or member.role.value not in current_app.config.get("REQUIRE_2FA_ROLES", ()):
        return False
    return not has_second_factor(member)
