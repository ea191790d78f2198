"""Passkeys: a member adds, names and removes their own, and nobody else (staff included) ever touches them."""

from __future__ import annotations

from app.models import Member, MemberStatus, Passkey
from app.permissions.common import Rule
from app.permissions.refusals import SIGN_IN
from app.text.lazy import lazy_text as _l

NOT_YOURS = _l("This passkey is not yours.")


def add_passkey(member: Member | None, target: None) -> str | None:
    # A passkey belongs to an account.
    if member is None:
        return SIGN_IN
    # An erased account signs nobody in any more.
    if member.status == MemberStatus.DELETED:
        return _l("This account is closed.")
    return None


def manage_passkey(member: Member | None, target: Passkey) -> str | None:
    if member is None:
        return SIGN_IN
    # Only their owner: a passkey opens the account, so no one else may rename, switch or remove it.
    return None if target.member_id == member.id else NOT_YOURS


RULES: dict[str, Rule] = {
    "add_passkey": add_passkey,
    "manage_passkey": manage_passkey,
}
