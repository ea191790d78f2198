"""Queries behind the moderators' pages."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Group, Member, Post
from app.models.moderation import AuditEvent, Flag, ReviewEvent, ReviewItem, ReviewKind, ReviewStatus
from app.permissions import moderated_group_ids


def _scoped(query: Select, column, moderator: Member) -> Select:  # noqa: ANN001
    """Limit a query to the groups this moderator looks after (all groups for unscoped moderators)."""
    scope = moderated_group_ids(moderator)
    return query if scope is None else query.where(column.in_(scope))


def open_items_query(moderator: Member, group_id: int | None = None, kind: str | None = None) -> Select:
    query = select(ReviewItem).where(ReviewItem.status == ReviewStatus.OPEN)
    if group_id:
        query = query.where(ReviewItem.group_id == group_id)
    if kind in {k.value for k in ReviewKind}:
        query = query.where(ReviewItem.kind == kind)
    return _scoped(query, ReviewItem.group_id, moderator)


def count_open_items(moderator: Member) -> int:
    """For the moderators' navigation badge."""
    query = open_items_query(moderator).with_only_columns(func.count()).order_by(None)
    return db.session.scalar(query) or 0


def queue_page(moderator: Member, group_id: int | None, kind: str | None, offset: int, limit: int):  # noqa: ANN201
    """Open items, urgent first then oldest, with each post, its topic, group, author and history loaded."""
    items = db.session.scalars(
        open_items_query(moderator, group_id, kind)
        .options(
            joinedload(ReviewItem.post).joinedload(Post.author),
            joinedload(ReviewItem.post).joinedload(Post.topic),
            joinedload(ReviewItem.group),
            selectinload(ReviewItem.events).joinedload(ReviewEvent.actor),
        )
        .order_by(ReviewItem.urgent.desc(), ReviewItem.created_at, ReviewItem.id)
        .offset(offset)
        .limit(limit)
    ).all()
    flags: dict[int, list[Flag]] = defaultdict(list)
    post_ids = [item.post_id for item in items]
    if post_ids:
        for flag in db.session.scalars(
            select(Flag).options(joinedload(Flag.member)).where(Flag.post_id.in_(post_ids)).order_by(Flag.id)
        ):
            flags[flag.post_id].append(flag)
    return items, flags


def moderated_groups(moderator: Member) -> list[Group]:
    return list(db.session.scalars(_scoped(select(Group), Group.id, moderator).order_by(Group.position, Group.name)))


def audit_query(actor_id: int | None, action: str | None, group_id: int | None) -> Select:
    query = select(AuditEvent).options(joinedload(AuditEvent.actor))
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    if action:
        query = query.where(AuditEvent.action == action[:40])
    if group_id:
        query = query.where(AuditEvent.group_id == group_id)
    return query


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def member_history(member: Member) -> dict[str, int]:
    """How a member's posts have fared: for judging a held post in context."""
    rows = db.session.execute(
        select(Post.status, func.count()).where(Post.author_id == member.id).group_by(Post.status)
    ).all()
    counts = {status.value: n for status, n in rows}
    counts["flags_received"] = (
        db.session.scalar(
            select(func.count())
            .select_from(Flag)
            .join(Post, Post.id == Flag.post_id)
            .where(Post.author_id == member.id)
        )
        or 0
    )
    return counts
