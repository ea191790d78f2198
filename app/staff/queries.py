"""The unanswered list: published topics still waiting for a reply from anyone but their author."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import contains_eager, joinedload

from app.models import ContentStatus, Group, Post, Topic
from app.staff.figures import answered_by_others


def unanswered_query(hours: int, now: datetime) -> Select[Topic]:
    """Open topics (group not archived, topic not locked) older than `hours` with no visible reply from
    someone else, oldest first, their group and author loaded alongside."""
    answered = exists(select(Post.id).where(answered_by_others()))
    return (
        select(Topic)
        .join(Topic.group)
        .options(contains_eager(Topic.group), joinedload(Topic.author))
        .where(
            Topic.status == ContentStatus.VISIBLE,
            ~Topic.locked,
            ~Group.archived,
            Topic.created_at <= now - timedelta(hours=hours),
            ~answered,
        )
        .order_by(Topic.created_at, Topic.id)
    )
