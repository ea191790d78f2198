"""What a signed-in reader has read: the markers on topic lists, /unread, the topic page's loader, and where
`?unread=1` leads. Each list gets its markers inside the query that loads it, so pages keep their statement counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import joinedload, with_expression

from app.community.queries import MAX_ID, topic_or_404
from app.extensions import db
from app.models import ContentStatus, Draft, GroupMembership, Member, Post, Topic, TopicFollow, TopicRead
from app.permissions import readable_post_filter
from app.services.bookmarks.bookmarks import topic_bookmark_id
from app.services.community.reading import record_read, unread_scope
from app.services.drafts.drafts import reply_draft
from app.web.page_cache import renew_read_stamp


@dataclass(frozen=True)
class Reading:
    """A topic as loaded for its page, with the reader's follow row, read position, membership of its group and
    unexpired reply draft."""

    topic: Topic
    member: Member | None = None
    follow: TopicFollow | None = None
    last_read: int | None = None  # None: never opened
    joined: bool = False
    draft: Draft | None = None


def _read_position(member: Member) -> Any:
    return (
        select(TopicRead.last_post_id)
        .where(TopicRead.topic_id == Topic.id, TopicRead.member_id == member.id)
        .correlate(Topic)
        .scalar_subquery()
    )


def _new_posts(member: Member) -> ColumnElement[bool]:
    """Published posts by others after the member's read position (none while the topic was never opened)."""
    return and_(
        Post.topic_id == Topic.id,
        Post.status == ContentStatus.VISIBLE,
        Post.id > _read_position(member),
        or_(Post.author_id.is_(None), Post.author_id != member.id),
    )


def read_state(viewer: object) -> list[Any]:
    """Loader options filling Topic.opened_by_viewer and Topic.new_for_viewer for a signed-in reader (none for
    visitors). Use with populate_existing: a topic already loaded on the page gets its markers too."""
    if not isinstance(viewer, Member):
        return []
    opened = exists().where(TopicRead.topic_id == Topic.id, TopicRead.member_id == viewer.id)
    new = select(func.count()).select_from(Post).where(_new_posts(viewer)).correlate(Topic).scalar_subquery()
    return [with_expression(Topic.opened_by_viewer, opened), with_expression(Topic.new_for_viewer, new)]


def with_read_state(query: Select[Any], viewer: object) -> Select[Any]:
    """The query, with the reader's markers on each topic it loads."""
    options = read_state(viewer)
    return query.options(*options).execution_options(populate_existing=True) if options else query


def _unread(member: Member) -> Select[Any]:
    opened = exists().where(TopicRead.topic_id == Topic.id, TopicRead.member_id == member.id)
    newer = exists().where(_new_posts(member))
    return select(Topic).where(unread_scope(member), or_(~opened, newer))


def count_unread_topics(member: Member) -> int:
    """How many topics /unread lists for the member."""
    return db.session.scalar(_unread(member).with_only_columns(func.count()).order_by(None)) or 0


def unread_topics(member: Member, offset: int, limit: int) -> list[Topic]:
    """One page of /unread: newest activity first, groups and authors loaded alongside, markers filled in."""
    query = (
        _unread(member)
        .options(joinedload(Topic.group), joinedload(Topic.author))
        .order_by(Topic.last_activity_at.desc(), Topic.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.scalars(with_read_state(query, member)))


def reading_or_404(topic_id: int, viewer: Member | None) -> Reading:
    """The topic for its page and the reader's state in it (follow, read position, membership, bookmark),
    outer-joined: one query, as for a visitor."""
    if viewer is None:
        return Reading(topic_or_404(topic_id))
    if not 0 < topic_id <= MAX_ID:
        abort(404)
    row = db.session.execute(
        select(Topic, TopicFollow, TopicRead.last_post_id, GroupMembership.member_id.label("joined"), Draft)
        .options(
            joinedload(Topic.group),
            joinedload(Topic.author),
            with_expression(Topic.viewer_bookmark_id, topic_bookmark_id(viewer)),
        )
        .outerjoin(TopicFollow, and_(TopicFollow.topic_id == Topic.id, TopicFollow.member_id == viewer.id))
        .outerjoin(TopicRead, and_(TopicRead.topic_id == Topic.id, TopicRead.member_id == viewer.id))
        .outerjoin(
            GroupMembership, and_(GroupMembership.group_id == Topic.group_id, GroupMembership.member_id == viewer.id)
        )
        .outerjoin(Draft, reply_draft(viewer))
        .where(Topic.id == topic_id)
    ).first()
    if row is None:
        abort(404)
    return Reading(row.Topic, viewer, row.TopicFollow, row.last_post_id, row.joined is not None, row.Draft)


def note_read(reading: Reading, posts: list[Post]) -> None:
    """The reader was shown these posts: move their position to the newest, if that is further on (one upsert).

    Their own cached pages showed the old position: a new read stamp gives them new keys (nobody else's change)."""
    newest = max((post.id for post in posts), default=None)
    if reading.member is None or newest is None:
        return
    if reading.last_read is not None and newest <= reading.last_read:
        return
    if record_read(reading.member, reading.topic, newest):
        renew_read_stamp()


def unread_target(reading: Reading) -> int | None:
    """The post `?unread=1` leads to: the first the reader has not seen, else the last one; None (the topic's
    start) when they never opened it."""
    if reading.last_read is None or reading.member is None:
        return None
    readable = and_(Post.topic_id == reading.topic.id, readable_post_filter(reading.member, reading.topic))
    first_unseen = select(func.min(Post.id)).where(readable, Post.id > reading.last_read).scalar_subquery()
    last = select(func.max(Post.id)).where(readable).scalar_subquery()
    return db.session.scalar(select(func.coalesce(first_unseen, last)))
