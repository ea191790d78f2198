"""Check-ins: members whose post went through crisis routing and who have been away since, for mentors to reach.

Crisis routing holds a member's post as an urgent review item (services.moderation.verdict) and shows them the
crisis-support panel; that urgent held item is what marks the post here. A member is listed once, for their latest
such post, while they have neither visited nor posted for KINDRED_CHECKIN_DAYS, until a mentor records how they
checked in. A later crisis-routed post lists them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from app import permissions
from app.database.dml import insert_once
from app.extensions import db
from app.models import CheckIn, CheckInMethod, Member, MemberStatus, Post, ReviewItem, ReviewKind, Topic
from app.models.base import utcnow
from app.services import ServiceError


@dataclass(frozen=True)
class Absent:
    """One member to check in on: their name, and the post (None when the mentor may not read it)."""

    member_id: int
    display_name: str
    post_id: int
    post: Post | None


def crisis_routed_posts() -> Select[int]:
    """Ids of posts held urgently by the review rules: the crisis routing."""
    return select(ReviewItem.post_id).where(ReviewItem.kind == ReviewKind.HELD_POST, ReviewItem.urgent.is_(True))


def checkin_query(now: datetime) -> Select[int, str, int]:
    """(member id, display name, latest crisis-routed post id) for each member away long enough, not checked on."""
    since = now - timedelta(days=current_app.config["CHECKIN_DAYS"])
    latest = (
        select(Post.author_id, func.max(Post.id).label("post_id"))
        .where(Post.id.in_(crisis_routed_posts()), Post.author_id.is_not(None))
        .group_by(Post.author_id)
        .subquery()
    )
    later = aliased(Post)
    posted_since = exists().where(later.author_id == Member.id, later.created_at >= since)
    return (
        select(Member.id, Member.display_name, latest.c.post_id)
        .join(latest, latest.c.author_id == Member.id)
        .outerjoin(CheckIn, CheckIn.post_id == latest.c.post_id)
        .where(
            CheckIn.id.is_(None),
            Member.status != MemberStatus.DELETED,
            or_(Member.last_seen_at.is_(None), Member.last_seen_at < since),
            ~posted_since,
        )
        .order_by(latest.c.post_id)
    )


def members_to_check_in(viewer: Member, now: datetime) -> list[Absent]:
    """The list for mentors: a name and a link to the post when the viewer may read it, nothing else."""
    rows = db.session.execute(checkin_query(now)).all()
    ids = [post_id for _member, _name, post_id in rows]
    loaded = select(Post).where(Post.id.in_(ids)).options(joinedload(Post.topic).joinedload(Topic.group))
    posts = {post.id: post for post in db.session.scalars(loaded)}
    readable = {post_id for post_id, post in posts.items() if permissions.can(viewer, "view_post", post)}
    return [
        Absent(member_id, name, post_id, posts[post_id] if post_id in readable else None)
        for member_id, name, post_id in rows
    ]


def clean_method(how: str | None) -> CheckInMethod:
    try:
        return CheckInMethod(how or "")
    except ValueError as exc:
        raise ServiceError(_("Please choose how you checked in: a private message or a reply."), "how") from exc


def check_in(mentor: Member, post_id: int, how: str | None) -> None:
    """Record that a mentor checked in on the author of a crisis-routed post; the member leaves the list."""
    permissions.ensure(mentor, "mentor", None)
    method = clean_method(how)
    now = utcnow()
    listed = {row[2]: row[0] for row in db.session.execute(checkin_query(now))}
    if post_id not in listed:
        raise ServiceError(_("This member is no longer on the check-in list: another mentor may have checked in."))
    if not insert_once(
        CheckIn, post_id=post_id, member_id=listed[post_id], checked_by_id=mentor.id, how=method, checked_at=now
    ):
        db.session.rollback()
        raise ServiceError(_("Another mentor has just checked in on this member."))
    db.session.commit()
