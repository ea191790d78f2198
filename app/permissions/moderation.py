"""The moderation team: deciding about a group's content and acting on members."""

from __future__ import annotations

from app.models import Group, Member, Role
from app.models.member import MemberStatus
from app.permissions.common import RANK, Rule, is_moderator, moderates, staff_only, team_only
from app.permissions.refusals import NOT_MODERATOR, NOT_YOUR_GROUP, SIGN_IN
from app.text.lazy import lazy_text as _l


def moderate(member: Member | None, group: Group) -> str | None:
    if member is None:
        return SIGN_IN
    if not is_moderator(member):
        return NOT_MODERATOR
    # Scoped moderators look after their own groups only.
    if not moderates(member, group.id):
        return NOT_YOUR_GROUP
    return None


def act_on_member(member: Member | None, target: Member) -> str | None:
    if member is None:
        return SIGN_IN
    if not is_moderator(member):
        return NOT_MODERATOR
    # A deleted account is a tombstone: there is nobody left to act on.
    if target.status == MemberStatus.DELETED:
        return _l("This account was deleted.")
    # Nobody suspends themselves by accident.
    if member.id == target.id:
        return _l("You cannot take moderation actions on your own account.")
    # Moderators cannot act on staff or admins, nor on each other; admins may act on anyone else.
    if RANK[member.role] <= RANK[target.role] and member.role != Role.ADMIN:
        return _l("You cannot take moderation actions on this account.")
    return None


RULES: dict[str, Rule] = {
    "moderate": moderate,
    "act_on_member": act_on_member,
    "view_queue": team_only,
    "view_audit_log": team_only,
    "manage_watched_words": team_only,
    "edit_settings": staff_only,
}
