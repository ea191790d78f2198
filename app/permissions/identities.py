"""Signing in with the organisation's identity provider: which accounts it may open."""

from __future__ import annotations

from app.models import Member
from app.models.member import MemberStatus
from app.permissions.common import Rule
from app.text.lazy import lazy_text as _l

ACCOUNT_DELETED = _l("That account was deleted, so it cannot be signed in to.")


def sign_in_with_provider(member: Member | None, target: Member) -> str | None:
    """`member` is the visitor signing in (None); `target` the account the provider's identity leads to."""
    # An erased account is a tombstone: nobody signs in to it, whatever proves who they are.
    if target.status == MemberStatus.DELETED:
        return ACCOUNT_DELETED
    # Suspended members sign in and read, as with a password; the posting rules keep them from writing.
    return None


RULES: dict[str, Rule] = {
    "sign_in_with_provider": sign_in_with_provider,
}
