"""Helpers for the read-position tests: long topics inserted in bulk, and a member's stored position."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from app.extensions import db
from app.models import ContentStatus, Member, Post, Topic, TopicRead
from app.models.base import utcnow
from app.text.rendering import cook


def add_posts(topic: Topic, author: Member, count: int, status: ContentStatus = ContentStatus.VISIBLE) -> list[int]:
    """`count` replies by `author` in one INSERT (a 2,000-post topic in milliseconds); their ids in order."""
    now, cooked = utcnow(), cook("A reply")
    rows = [
        {"topic_id": topic.id, "author_id": author.id, "raw": "A reply", "cooked": cooked, "status": status}
        | {"created_at": now}
        for _ in range(count)
    ]
    db.session.execute(insert(Post), rows)
    if status == ContentStatus.VISIBLE:
        topic.reply_count += count
        topic.last_activity_at = now
    db.session.commit()
    return list(db.session.scalars(select(Post.id).where(Post.topic_id == topic.id).order_by(Post.id)))


def position(member: Member, topic: Topic) -> int | None:
    """The newest post id the member was shown in the topic, or None if they never opened it."""
    return db.session.scalar(
        select(TopicRead.last_post_id).where(TopicRead.member_id == member.id, TopicRead.topic_id == topic.id)
    )


def reads_of(member: Member) -> int:
    return db.session.scalar(select(func.count()).select_from(TopicRead).where(TopicRead.member_id == member.id)) or 0


def last_post_id(topic: Topic) -> int | None:
    return db.session.scalar(select(func.max(Post.id)).where(Post.topic_id == topic.id))
