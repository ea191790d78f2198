"""Accounts and profiles: what a member may see of another, and do with their own."""

from __future__ import annotations

from typing import Any

from app.models import LoginSession, Member, Role
from app.models.member import MemberStatus, ProfileVisibility
from app.permissions.common import Rule, is_staff, unconfirmed
from app.permissions.refusals import MEMBERS_ONLY_PROFILE, SIGN_IN
from app.text.lazy import lazy_text as _l


def view_profile(member: Member | None, target: Member) -> str | None:
    # An erased account has no profile left to show.
    if target.status == MemberStatus.DELETED:
        return _l("This profile is not available.")
    # Members may keep their profile among signed-in members.
    if member is None and target.profile_visibility != ProfileVisibility.EVERYONE:
        return MEMBERS_ONLY_PROFILE
    return None


def own_account(member: Member | None, target: Member) -> str | None:
    """Profile settings, export and deletion: only ever for the signed-in member's own account."""
    if member is None:
        return SIGN_IN
    if target is None or target.id != member.id:
        return _l("You can only do this for your own account.")
    return None


def end_login_session(member: Member | None, target: LoginSession) -> str | None:
    """Signing a browser out from the list of signed-in browsers."""
    if member is None:
        return SIGN_IN
    # Only the member's own browsers: nobody else, the site's team included, ends someone's session from here.
    if target.member_id != member.id:
        return _l("This signed-in browser is not yours.")
    return None


def resend_verification(member: Member | None, target: Any) -> str | None:
    if member is None:
        return SIGN_IN
    # Only while the address still needs confirming, and only when confirmation is asked for at all.
    if unconfirmed(member) is None:
        return _l("Your e-mail address needs no confirmation.")
    return None


def suggest_members(member: Member | None, target: Any) -> str | None:
    # Names are suggested to those who could write to them: signed-in members taking part.
    if member is None:
        return SIGN_IN
    if member.is_suspended:
        return _l("Your account is suspended, so you cannot write to other members.")
    return unconfirmed(member)


def sign_in_by_email(member: Member | None, target: Member) -> str | None:
    """May a mailed sign-in link be sent for, and sign in to, the `target` account (whoever holds the link)?"""
    # An erased account has nothing left to sign in to.
    if target.status == MemberStatus.DELETED:
        return _l("This account no longer exists.")
    # Suspended members still sign in and read, as with their password.
    return None


def reset_two_factor(member: Member | None, target: Member) -> str | None:
    """An admin takes away someone's second factor, for a member who lost both their phone and recovery codes."""
    if member is None:
        return SIGN_IN
    # Admins only (with their own second factor, when their role requires one).
    if member.role != Role.ADMIN or not is_staff(member):
        return _l("Only admins can reset a member's second factor.")
    # Members turn off their own with their password and a code, on their account page.
    if target.id == member.id:
        return _l("You can turn off your own second factor on your account page.")
    if target.status == MemberStatus.DELETED:
        return _l("This account was deleted.")
    return None


RULES: dict[str, Rule] = {
    "view_profile": view_profile,
    "edit_profile": own_account,
    "export_account": own_account,
    "delete_account": own_account,
    "end_login_session": end_login_session,
    "manage_two_factor": own_account,
    "reset_two_factor": reset_two_factor,
    "resend_verification": resend_verification,
    "suggest_members": suggest_members,
    "sign_in_by_email": sign_in_by_email,
}
