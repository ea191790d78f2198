"""What may leave the site, whoever asks: the public posts and topics behind feeds and the sitemap.

Every query here filters with permissions.public_post_filter(), never with the reader's own rights, so a moderator
fetching a feed gets exactly what a visitor or a feed reader gets.
"""

from __future__ import annotations

from sqlalchemy import Row, select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models import Group, Post, Topic
from app.permissions import is_public_group, public_post_filter

FEED_ENTRIES = 20
TOPIC_FEED_ENTRIES = 50
SITEMAP_LIMIT = 50_000  # the sitemap protocol's limit for one file


def _public_posts():  # noqa: ANN202
    return (
        select(Post)
        .join(Post.topic)
        .join(Topic.group)
        .outerjoin(Post.author)
        .options(contains_eager(Post.topic).contains_eager(Topic.group), contains_eager(Post.author))
        .where(public_post_filter())
    )


def latest_opening_posts(group: Group | None = None, limit: int = FEED_ENTRIES) -> list[Post]:
    """The opening posts of the newest public topics, site-wide or in one group (one query)."""
    query = _public_posts().where(Post.is_opening)
    if group is not None:
        query = query.where(Topic.group_id == group.id)
    return list(db.session.scalars(query.order_by(Topic.created_at.desc(), Topic.id.desc()).limit(limit)))


def latest_topic_posts(topic: Topic, limit: int = TOPIC_FEED_ENTRIES) -> list[Post]:
    """The newest public posts of one topic (one query)."""
    query = _public_posts().where(Post.topic_id == topic.id).order_by(Post.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def sitemap_topics(limit: int = SITEMAP_LIMIT) -> list[Row]:
    """(id, slug, last activity) of public topics whose opening post is public, most recently active first."""
    return list(
        db.session.execute(
            select(Topic.id, Topic.slug, Topic.last_activity_at)
            .select_from(Post)
            .join(Post.topic)
            .join(Topic.group)
            .where(Post.is_opening, public_post_filter())
            .order_by(Topic.last_activity_at.desc(), Topic.id.desc())
            .limit(limit)
        )
    )


def sitemap_groups() -> list[Group]:
    """Groups whose pages may be indexed."""
    groups = db.session.scalars(select(Group).order_by(Group.position, Group.name))
    return [group for group in groups if is_public_group(group)]
