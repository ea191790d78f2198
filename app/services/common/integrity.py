"""Do the denormalised counters equal the real counts? For fault tests, the load test and operators after a restore.

The rules are those of app/services/common/counters.py: a group counts its visible topics and the visible posts in them;
and its members; a topic counts its visible replies; a member counts their visible posts; a post counts its helpful
marks, and its author counts the marks on all their posts; an event counts the members going. Each check is one
aggregate query, fine on a large database.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, func, or_, select

from app.extensions import db
from app.models import (
    ContentStatus,
    Event,
    EventRsvp,
    Group,
    GroupMembership,
    HelpfulMark,
    Member,
    Post,
    RsvpStatus,
    Topic,
)

VISIBLE = ContentStatus.VISIBLE


def _group_topics() -> Select:
    real = (
        select(func.count(Topic.id))
        .where(Topic.group_id == Group.id, Topic.status == VISIBLE)
        .correlate(Group)
        .scalar_subquery()
    )
    return select(Group.id, Group.topic_count, real).where(Group.topic_count != real)


def _group_posts() -> Select:
    real = (
        select(func.count(Post.id))
        .join(Topic, Topic.id == Post.topic_id)
        .where(Topic.group_id == Group.id, Topic.status == VISIBLE, Post.status == VISIBLE)
        .correlate(Group)
        .scalar_subquery()
    )
    return select(Group.id, Group.post_count, real).where(Group.post_count != real)


def _group_members() -> Select:
    real = select(func.count()).where(GroupMembership.group_id == Group.id).correlate(Group).scalar_subquery()
    return select(Group.id, Group.member_count, real).where(Group.member_count != real)


def _topic_replies() -> Select:
    real = (
        select(func.count(Post.id))
        .where(Post.topic_id == Topic.id, Post.status == VISIBLE, Post.is_opening.is_(False))
        .correlate(Topic)
        .scalar_subquery()
    )
    return select(Topic.id, Topic.reply_count, real).where(Topic.reply_count != real)


def _member_posts() -> Select:
    real = (
        select(func.count(Post.id))
        .where(Post.author_id == Member.id, Post.status == VISIBLE)
        .correlate(Member)
        .scalar_subquery()
    )
    return select(Member.id, Member.post_count, real).where(Member.post_count != real)


def _post_helpful() -> Select:
    real = select(func.count()).where(HelpfulMark.post_id == Post.id).correlate(Post).scalar_subquery()
    # Most posts have no marks and a zero counter: only look at posts with either.
    marked = select(HelpfulMark.post_id).scalar_subquery()
    return select(Post.id, Post.helpful_count, real).where(
        or_(Post.helpful_count != 0, Post.id.in_(marked)), Post.helpful_count != real
    )


def _member_helpful() -> Select:
    real = (
        select(func.count())
        .select_from(HelpfulMark)
        .join(Post, and_(Post.id == HelpfulMark.post_id))
        .where(Post.author_id == Member.id)
        .correlate(Member)
        .scalar_subquery()
    )
    return select(Member.id, Member.helpful_received, real).where(Member.helpful_received != real)


def _event_going() -> Select:
    real = (
        select(func.count())
        .where(EventRsvp.event_id == Event.id, EventRsvp.status == RsvpStatus.GOING)
        .correlate(Event)
        .scalar_subquery()
    )
    return select(Event.id, Event.going_count, real).where(Event.going_count != real)


CHECKS = {
    "groups.topic_count": _group_topics,
    "groups.post_count": _group_posts,
    "groups.member_count": _group_members,
    "topics.reply_count": _topic_replies,
    "members.post_count": _member_posts,
    "posts.helpful_count": _post_helpful,
    "members.helpful_received": _member_helpful,
    "events.going_count": _event_going,
}


def counter_mismatches(limit: int = 20) -> list[str]:
    """Sentences naming each counter that differs from the real count (empty when all agree)."""
    found = []
    for name, query in CHECKS.items():
        for ident, stored, real in db.session.execute(query().limit(limit)):
            found.append(f"{name} of #{ident} is {stored} but the real count is {real}")
    return found
