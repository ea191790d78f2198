"""Read positions: how far a member has read each topic, moved forward as they read and by "Mark all as read".

Every write is one INSERT ... ON CONFLICT DO UPDATE whose update applies only when the new position is further on
(on SQLite and PostgreSQL alike). Two tabs, a reload and a "Mark all as read" may arrive at the same moment: each
statement is right whatever the others did, the position never moves back, and nothing is read first.

Read positions are rows no other reader's page shows (app/web/page_cache_writes.py leaves cached pages alone when
they are written); the reader's own cached pages depend on their read stamp instead (app/community/reading.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from app import permissions
from app.extensions import db
from app.models import ContentStatus, Group, GroupMembership, Member, Post, Topic, TopicFollow, TopicRead
from app.models.base import UTCDateTime, utcnow
from app.permissions import readable_group_filter, visible_topic_filter


def _insert() -> Any:
    return (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(TopicRead)


def _forward(statement: Any) -> Any:
    """The INSERT, or else move an existing position on — never back."""
    return statement.on_conflict_do_update(
        index_elements=[TopicRead.member_id, TopicRead.topic_id],
        set_={"last_post_id": statement.excluded.last_post_id, "read_at": statement.excluded.read_at},
        where=TopicRead.last_post_id < statement.excluded.last_post_id,
    )


def record_read(member: Member, topic: Topic, last_post_id: int) -> bool:
    """The member was shown the topic's posts up to `last_post_id`; whether their position moved forward."""
    values = {"member_id": member.id, "topic_id": topic.id, "last_post_id": last_post_id, "read_at": utcnow()}
    moved = db.session.execute(_forward(_insert().values(**values)).returning(TopicRead.topic_id)).first() is not None
    db.session.commit()
    return moved


def unread_scope(member: Member) -> ColumnElement[bool]:
    """WHERE clause for the topics /unread is about: published topics the member may read, in the groups they joined
    or followed by them, leaving out the ones they muted."""
    joined = select(GroupMembership.group_id).where(GroupMembership.member_id == member.id)
    follows = select(TopicFollow.topic_id).where(TopicFollow.member_id == member.id)
    followed, muted = follows.where(TopicFollow.muted.is_(False)), follows.where(TopicFollow.muted.is_(True))
    readable = select(Group.id).where(readable_group_filter(member))
    return (
        visible_topic_filter(member)
        & (Topic.status == ContentStatus.VISIBLE)
        & Topic.group_id.in_(readable)
        & (Topic.group_id.in_(joined) | Topic.id.in_(followed))
        & Topic.id.not_in(muted)
    )


def _newest_posts(member: Member, where: ColumnElement[bool]) -> Select[int, int, int, datetime]:
    """(member, topic, newest published post, now) for every topic matching `where`, to insert as positions."""
    return (
        select(
            literal(member.id).label("member_id"),
            Post.topic_id,
            func.max(Post.id).label("last_post_id"),
            literal(utcnow(), UTCDateTime()).label("read_at"),
        )
        .join(Topic, Topic.id == Post.topic_id)
        .where(where, Post.status == ContentStatus.VISIBLE)
        .group_by(Post.topic_id)
    )


def _mark_read(member: Member, where: ColumnElement[bool]) -> None:
    columns = ("member_id", "topic_id", "last_post_id", "read_at")
    db.session.execute(_forward(_insert().from_select(columns, _newest_posts(member, where))))
    db.session.commit()


def mark_group_read(member: Member, group: Group) -> None:
    """Every published topic of the group counts as read up to its newest published post."""
    permissions.ensure(member, "view_group", group)
    readable = select(Group.id).where(Group.id == group.id, readable_group_filter(member))
    where = (Topic.group_id.in_(readable)) & visible_topic_filter(member) & (Topic.status == ContentStatus.VISIBLE)
    _mark_read(member, where)


def mark_all_read(member: Member) -> None:
    """Every topic /unread is about counts as read up to its newest published post."""
    _mark_read(member, unread_scope(member))
