"""The welcome queue: each new member's first published post, until a mentor has welcomed it.

A claim ("I'll welcome this") tells the other mentors someone is on it; it lapses after CLAIM_LAPSE so a forgotten
claim never leaves a newcomer unwelcomed. Claims and welcomes are single statements that only succeed on the state
the mentor saw, so two mentors clicking at once get one winner and one clear refusal.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import contains_eager, joinedload

from app import permissions
from app.database.dml import insert_once, rows_matched
from app.extensions import db
from app.models import ContentStatus, Group, Member, MemberStatus, Post, Role, Topic, Welcome
from app.models.base import utcnow
from app.services import ServiceError

CLAIM_LAPSE = timedelta(hours=24)
# Who counts as a new member: joined this recently. It also keeps the queue's search to recent accounts.
NEW_MEMBER_DAYS = 30


def first_published_posts(now: datetime) -> Any:
    """Subquery (author_id, post_id): each new member's earliest post that is published in a published topic."""
    return (
        select(Post.author_id, func.min(Post.id).label("post_id"))
        .join(Topic, Topic.id == Post.topic_id)
        .join(Member, Member.id == Post.author_id)
        .where(
            Post.status == ContentStatus.VISIBLE,
            Topic.status == ContentStatus.VISIBLE,
            Member.role == Role.MEMBER,
            Member.status == MemberStatus.ACTIVE,
            Member.created_at >= now - timedelta(days=NEW_MEMBER_DAYS),
        )
        .group_by(Post.author_id)
        .subquery()
    )


def live_claim(now: datetime) -> Any:
    """A claim still holding: made less than CLAIM_LAPSE ago."""
    return Welcome.claimed_at >= now - CLAIM_LAPSE


def queue_query(viewer: Member, now: datetime) -> Select[Post, Welcome]:
    """The posts waiting for a welcome that `viewer` may read, oldest first, with any claim on them."""
    firsts = first_published_posts(now)
    return (
        select(Post, Welcome)
        .join(firsts, firsts.c.post_id == Post.id)
        .join(Topic, Topic.id == Post.topic_id)
        .join(Group, Group.id == Topic.group_id)
        .outerjoin(Welcome, Welcome.post_id == Post.id)
        .where(Welcome.welcomed_at.is_(None), permissions.searchable_post_filter(viewer))
        .options(
            contains_eager(Post.topic).contains_eager(Topic.group),
            joinedload(Post.author),
            joinedload(Welcome.claimed_by),
        )
        .order_by(Post.created_at, Post.id)
    )


def count_queue(viewer: Member, now: datetime) -> int:
    query = queue_query(viewer, now).order_by(None).options()
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def queue_page(viewer: Member, now: datetime, offset: int, limit: int) -> list[tuple[Post, Welcome | None]]:
    """One page of the queue; each post is checked once more with the rule pages use, so nothing unreadable shows."""
    rows = db.session.execute(queue_query(viewer, now).offset(offset).limit(limit)).unique().all()
    return [(post, welcome) for post, welcome in rows if permissions.can(viewer, "view_post", post)]


def _waiting(post: Post, now: datetime) -> None:
    """Refuse a post that is not (or no longer) in the queue: not a first published post, or welcomed already."""
    firsts = first_published_posts(now)
    if db.session.scalar(select(firsts.c.post_id).where(firsts.c.post_id == post.id)) is None:
        raise ServiceError(_("This post is not waiting for a welcome: it is not a new member's first post."))


def _refusal(post: Post, mentor: Member, now: datetime) -> ServiceError:
    """Why a claim or welcome did not go through: someone else got there first."""
    db.session.expire_all()
    welcome = db.session.scalar(select(Welcome).where(Welcome.post_id == post.id))
    if welcome is not None and welcome.welcomed_at is not None:
        name = welcome.welcomed_by.display_name if welcome.welcomed_by else _("a former member")
        return ServiceError(_("%(name)s has already welcomed this member.", name=name))
    if welcome is not None and welcome.claimed_by_id == mentor.id:
        return ServiceError(_("You have already said you will welcome this member."))
    name = welcome.claimed_by.display_name if welcome and welcome.claimed_by else _("a former member")
    return ServiceError(_("%(name)s has just said they will welcome this member.", name=name))


def claim(mentor: Member, post: Post) -> None:
    """ "I'll welcome this": the post is the mentor's for CLAIM_LAPSE, unless someone holds it or welcomed it."""
    permissions.ensure(mentor, "welcome_post", post)
    now = utcnow()
    _waiting(post, now)
    if not insert_once(Welcome, post_id=post.id, claimed_by_id=mentor.id, claimed_at=now):
        free = or_(Welcome.claimed_at.is_(None), ~live_claim(now))
        taken = update(Welcome).where(Welcome.post_id == post.id, Welcome.welcomed_at.is_(None), free)
        if not rows_matched(taken.values(claimed_by_id=mentor.id, claimed_at=now)):
            db.session.rollback()
            raise _refusal(post, mentor, now)
    db.session.commit()


def mark_welcomed(mentor: Member, post: Post) -> None:
    """ "Welcomed": the post leaves the queue for good, with who welcomed it and when. Someone else's live claim
    stands in the way, so two mentors never both write to the newcomer."""
    permissions.ensure(mentor, "welcome_post", post)
    now = utcnow()
    _waiting(post, now)
    if not insert_once(Welcome, post_id=post.id, welcomed_by_id=mentor.id, welcomed_at=now):
        mine_or_free = or_(Welcome.claimed_at.is_(None), ~live_claim(now), Welcome.claimed_by_id == mentor.id)
        done = update(Welcome).where(and_(Welcome.post_id == post.id, Welcome.welcomed_at.is_(None), mine_or_free))
        if not rows_matched(done.values(welcomed_by_id=mentor.id, welcomed_at=now)):
            db.session.rollback()
            raise _refusal(post, mentor, now)
    db.session.commit()
