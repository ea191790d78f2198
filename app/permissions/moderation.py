"""The moderation team: deciding about a group's content and acting on members."""

from __future__ import annotations

from sqlalchemy import exists, select

from app.extensions import db
from app.models import Group, Member, Post, Role, Topic
from app.models.member import MemberStatus
from app.permissions.common import (
    RANK,
    Rule,
    full_team_only,
    is_moderator,
    moderated_group_ids,
    moderates,
    staff_only,
    team_only,
)
from app.permissions.refusals import NOT_MODERATOR, NOT_YOUR_GROUP, NOT_YOUR_GROUPS_MEMBER, SIGN_IN
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
    # A suspension holds site-wide: a moderator limited to some groups suspends only members who posted there.
    scope = moderated_group_ids(member)
    if scope is not None and not _posted_in(target, scope):
        return NOT_YOUR_GROUPS_MEMBER
    return None


def _posted_in(target: Member, group_ids: frozenset[int]) -> bool:
    """Whether the member wrote anything (held, hidden or published) in one of these groups."""
    wrote = exists().where(Post.author_id == target.id, Post.topic_id == Topic.id, Topic.group_id.in_(group_ids))
    return bool(db.session.scalar(select(wrote)))


RULES: dict[str, Rule] = {
    "moderate": moderate,
    "act_on_member": act_on_member,
    "view_queue": team_only,
    "view_audit_log": team_only,
    "manage_watched_words": full_team_only,  # the list holds posts in every group
    "edit_settings": staff_only,
    "manage_nudges": staff_only,  # the nudges every author sees before posting
}
