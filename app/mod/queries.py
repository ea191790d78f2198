"""Queries behind the moderators' pages."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Group, Member, Post
from app.models.messages import MessageReport, MessageReportStatus
from app.models.moderation import AuditEvent, Flag, ReviewEvent, ReviewItem, ReviewKind, ReviewStatus
from app.permissions import moderated_group_ids
from app.services.members.trust import trusted_filter
from app.services.questions.review import open_questions_query


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
    """For the moderators' navigation badge: open review items and event questions, with reported private messages
    for those who review them (moderators of the whole community), in one statement."""
    query = open_items_query(moderator).with_only_columns(func.count()).order_by(None)
    questions = open_questions_query(moderator).with_only_columns(func.count()).order_by(None)
    if moderated_group_ids(moderator) is not None:
        return db.session.scalar(select(query.scalar_subquery() + questions.scalar_subquery())) or 0
    reports = select(func.count()).select_from(MessageReport).where(MessageReport.status == MessageReportStatus.OPEN)
    total = query.scalar_subquery() + reports.scalar_subquery() + questions.scalar_subquery()
    return db.session.scalar(select(total)) or 0


def queue_page(moderator: Member, group_id: int | None, kind: str | None, offset: int, limit: int):  # noqa: ANN201
    """Open items, urgent first then oldest, with each post, its topic, group, author and history loaded."""
    items = db.session.scalars(
        open_items_query(moderator, group_id, kind)
        .options(
            joinedload(ReviewItem.post).joinedload(Post.author),
            joinedload(ReviewItem.post).joinedload(Post.topic),
            joinedload(ReviewItem.post).selectinload(Post.pictures),  # thumbnails: one statement for the page
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


def audit_query(actor_id: int | None, action: str | None, group_id: int | None, moderator: Member) -> Select:
    """The log as this moderator may read it: a scoped moderator sees their groups and events outside any group."""
    query = select(AuditEvent).options(joinedload(AuditEvent.actor))
    scope = moderated_group_ids(moderator)
    if scope is not None:
        query = query.where(or_(AuditEvent.group_id.is_(None), AuditEvent.group_id.in_(scope)))
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
    return member_histories({member.id})[member.id]


def member_histories(member_ids: set[int]) -> dict[int, dict[str, int]]:
    """member_history() of several members in two statements, so the queue's cost does not grow with its authors."""
    counts: dict[int, dict[str, int]] = {member_id: {"flags_received": 0} for member_id in member_ids}
    if not member_ids:
        return counts
    by_status = select(Post.author_id, Post.status, func.count()).where(Post.author_id.in_(member_ids))
    for author_id, status, n in db.session.execute(by_status.group_by(Post.author_id, Post.status)):
        assert author_id is not None  # the in_() above leaves out posts without an author
        counts[author_id][status.value] = n
    flags = (
        select(Post.author_id, func.count())
        .select_from(Flag)
        .join(Post, Post.id == Flag.post_id)
        .where(Post.author_id.in_(member_ids))
        .group_by(Post.author_id)
    )
    for author_id, n in db.session.execute(flags):
        assert author_id is not None
        counts[author_id]["flags_received"] = n
    return counts


def trusted_ids(member_ids: set[int]) -> set[int]:
    """Which of these members are trusted (the rule of services.trust), in one statement."""
    if not member_ids:
        return set()
    return set(db.session.scalars(select(Member.id).where(Member.id.in_(member_ids), trusted_filter())))
