"""Joining and leaving condition groups."""

from __future__ import annotations

from sqlalchemy import update

from app import permissions
from app.extensions import db
from app.models import Group, GroupMembership, Member


def is_member_of(member: Member | None, group: Group) -> bool:
    """Whether this member joined this group (visitors never have)."""
    if not isinstance(member, Member):
        return False
    found = db.session.get(GroupMembership, (member.id, group.id))
    return found is not None


def join_group(member: Member, group: Group) -> None:
    """Join a group (joining twice is harmless)."""
    permissions.ensure(member, "join_group", group)
    if is_member_of(member, group):
        return
    db.session.add(GroupMembership(member_id=member.id, group_id=group.id))
    db.session.execute(update(Group).where(Group.id == group.id).values(member_count=Group.member_count + 1))
    db.session.commit()


def leave_group(member: Member, group: Group) -> None:
    """Leave a group; the member's posts stay where they are."""
    membership = db.session.get(GroupMembership, (member.id, group.id))
    if membership is None:
        return
    db.session.delete(membership)
    db.session.execute(update(Group).where(Group.id == group.id).values(member_count=Group.member_count - 1))
    db.session.commit()
