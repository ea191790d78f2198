"""Joining and leaving condition groups."""

from __future__ import annotations

from sqlalchemy import delete, update

from app import permissions
from app.database.dml import insert_once, rows_matched
from app.extensions import db
from app.models import Group, GroupMembership, Member


def is_member_of(member: Member | None, group: Group) -> bool:
    """Whether this member joined this group (visitors never have)."""
    if not isinstance(member, Member):
        return False
    found = db.session.get(GroupMembership, (member.id, group.id))
    return found is not None


def join_group(member: Member, group: Group) -> None:
    """Join a group (joining twice, even at the same moment, is harmless and counts once)."""
    permissions.ensure(member, "join_group", group)
    if insert_once(GroupMembership, member_id=member.id, group_id=group.id):
        db.session.execute(update(Group).where(Group.id == group.id).values(member_count=Group.member_count + 1))
    db.session.commit()


def leave_group(member: Member, group: Group) -> None:
    """Leave a group; the member's posts stay where they are."""
    mine = (GroupMembership.member_id == member.id, GroupMembership.group_id == group.id)
    # Only the request whose DELETE removed the row counts the departure: a second one at the same moment finds none.
    if rows_matched(delete(GroupMembership).where(*mine)):
        db.session.execute(update(Group).where(Group.id == group.id).values(member_count=Group.member_count - 1))
    db.session.commit()
