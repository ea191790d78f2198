"""Who the actor is on the team, and the rungs that rules of every domain share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Member, ModeratorScope, Role
from app.models.member import MODERATING_ROLES, STAFF_ROLES
from app.permissions.refusals import NOT_FULL_MODERATOR, NOT_MODERATOR, NOT_STAFF, SIGN_IN, UNCONFIRMED
from app.permissions.two_factor import enrolment_required

Actor = Member | None
Rule = Callable[[Actor, Any], str | None]

ALWAYS_POST_ROLES = frozenset({Role.MENTOR, *MODERATING_ROLES})
RECOMMENDING_ROLES = frozenset({Role.MENTOR, *STAFF_ROLES})
# Who outranks whom: nobody acts on their betters, nor (admins apart) on their equals, nor on themselves.
RANK = {Role.MEMBER: 0, Role.MENTOR: 0, Role.MODERATOR: 1, Role.STAFF: 2, Role.ADMIN: 3}


def as_member(actor: Any) -> Member | None:
    """Flask-Login's anonymous user and None both mean a visitor."""
    return actor if isinstance(actor, Member) else None


def on_team(member: Member | None) -> bool:
    """The role is a moderating one, whether or not its powers are unlocked yet (see is_moderator)."""
    return member is not None and member.role in MODERATING_ROLES


def is_moderator(member: Member | None) -> bool:
    """On the moderation team at all (in some or every group), with the second factor the role requires."""
    return on_team(member) and not enrolment_required(member)


def is_mentoring(member: Member | None) -> bool:
    """A mentor, or on the moderating team, with the second factor the role requires: who welcomes and checks in."""
    if member is None or enrolment_required(member):
        return False
    return member.role == Role.MENTOR or on_team(member)


def is_staff(member: Member | None) -> bool:
    """Staff or admin, with the second factor the role requires."""
    return member is not None and member.role in STAFF_ROLES and not enrolment_required(member)


def moderated_group_ids(member: Member) -> frozenset[int] | None:
    """The groups a moderator is limited to, or None when they moderate every group. Cached per request."""
    if member.role in STAFF_ROLES:
        return None
    cached = member.__dict__.get("_moderated_group_ids", False)
    if cached is False:
        ids = frozenset(
            db.session.scalars(select(ModeratorScope.group_id).where(ModeratorScope.member_id == member.id))
        )
        cached = ids or None
        member.__dict__["_moderated_group_ids"] = cached
    return cached


def moderates(member: Member | None, group_id: int) -> bool:
    """Moderator of this particular group."""
    return is_moderator(member) and would_moderate(member, group_id)


def would_moderate(member: Member | None, group_id: int) -> bool:
    """Moderator of this group by role and scope, second factor or not: who is asked to enrol rather than refused."""
    if member is None or not on_team(member):
        return False
    scope = moderated_group_ids(member)
    return scope is None or group_id in scope


def is_full_moderator(member: Member | None) -> bool:
    """On the moderation team for every group (staff, admins, and moderators without a scope)."""
    return member is not None and is_moderator(member) and moderated_group_ids(member) is None


def unconfirmed(member: Member) -> str | None:
    """The e-mail rung, shared by posting, flagging, helpful marks and messages: with KINDRED_VERIFY_EMAIL on,
    new members read everything but take part only once they have confirmed their address."""
    if member.email_verified_at is None and current_app.config.get("VERIFY_EMAIL"):
        return UNCONFIRMED
    return None


def signed_in(member: Member | None, target: Any) -> str | None:
    return SIGN_IN if member is None else None


def team_only(member: Member | None, target: Any) -> str | None:
    if member is None:
        return SIGN_IN
    return None if is_moderator(member) else NOT_MODERATOR


def full_team_only(member: Member | None, target: Any) -> str | None:
    """Site-wide moderation tools: a moderator limited to some groups does not change them for every group."""
    if (reason := team_only(member, target)) is not None:
        return reason
    return None if is_full_moderator(member) else NOT_FULL_MODERATOR


def staff_only(member: Member | None, target: Any) -> str | None:
    if member is None:
        return SIGN_IN
    return None if is_staff(member) else NOT_STAFF
