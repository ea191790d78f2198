"""The denormalised counters, changed by relative UPDATEs inside the caller's transaction.

Rules: a group counts its visible topics and the visible posts in them; a topic counts its visible replies;
a member counts their visible posts and, for trust, every post of theirs that was ever published.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from app.extensions import db
from app.models import ContentStatus, Group, Member, Post, Topic


def _bump(model: type[Group | Member | Post | Topic], ident: int | None, **deltas: int) -> None:
    if ident is None:
        return
    values = {name: getattr(model, name) + delta for name, delta in deltas.items()}
    db.session.execute(update(model).where(model.id == ident).values(**values))


def count_published(post: Post, now: datetime | None, *, first_time: bool) -> None:
    """A post just became visible: count it everywhere it shows (and, given `now`, mark the activity)."""
    topic = post.topic
    # An opening post publishes its topic, unless a moderator deleted the whole topic: that stays final.
    if post.is_opening and topic.status not in (ContentStatus.VISIBLE, ContentStatus.DELETED):
        topic.status = ContentStatus.VISIBLE
        _bump(Group, topic.group_id, topic_count=1, post_count=1 + topic.reply_count)
    elif topic.status == ContentStatus.VISIBLE:
        _bump(Group, topic.group_id, post_count=1)
    if not post.is_opening:
        _bump(Topic, topic.id, reply_count=1)
    if now is not None:
        db.session.execute(update(Topic).where(Topic.id == topic.id).values(last_activity_at=now))
        db.session.execute(update(Group).where(Group.id == topic.group_id).values(last_activity_at=now))
    deltas = {"post_count": 1, "approved_posts": 1} if first_time else {"post_count": 1}
    _bump(Member, post.author_id, **deltas)


def uncount_post(post: Post) -> None:
    """A visible post is going away (hidden, rejected, deleted): take it out of the counts."""
    topic = post.topic
    if topic.status == ContentStatus.VISIBLE:
        _bump(Group, topic.group_id, post_count=-1)
    if not post.is_opening:
        _bump(Topic, topic.id, reply_count=-1)
    _bump(Member, post.author_id, post_count=-1)


def uncount_topic(topic: Topic, opening_visible: bool) -> None:
    """A visible topic is leaving its group's lists: remove it and its visible posts from the group."""
    _bump(Group, topic.group_id, topic_count=-1, post_count=-(topic.reply_count + int(opening_visible)))


def count_topic(topic: Topic, opening_visible: bool) -> None:
    """A topic is back in (or moved into) a group's lists."""
    _bump(Group, topic.group_id, topic_count=1, post_count=topic.reply_count + int(opening_visible))


def count_helpful(post: Post, delta: int) -> None:
    """A helpful mark was given (+1) or taken back (-1): the post and its author count it."""
    _bump(Post, post.id, helpful_count=delta)
    _bump(Member, post.author_id, helpful_received=delta)
