"""Loaders and list queries for the community pages: each page issues a fixed, small number of them."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload, with_expression
from sqlalchemy.sql.base import ExecutableOption

from app.extensions import db
from app.models import ContentStatus, Group, Member, Post, Topic
from app.permissions import readable_group_filter, readable_post_filter, visible_topic_filter
from app.services.bookmarks.bookmarks import post_bookmark_id
from app.services.community.helpful import marked_by_viewer
from app.services.members.identity import display_name_key

# Ids are 32-bit INTEGER columns: a larger number in a URL matches nothing, and the database would raise
# (PostgreSQL: "integer out of range"; SQLite past 64 bits) instead of simply finding no row.
MAX_ID = 2**31 - 1


def group_or_404(slug: str) -> Group:
    if "\x00" in slug:  # no slug holds a NUL, and PostgreSQL refuses one in a query
        abort(404)
    group = db.session.scalar(select(Group).where(Group.slug == slug[:80]))
    if group is None:
        abort(404)
    return group


def topic_or_404(topic_id: int) -> Topic:
    """The topic with its group and author, in one query."""
    if not 0 < topic_id <= MAX_ID:
        abort(404)
    topic = db.session.scalar(
        select(Topic).options(joinedload(Topic.group), joinedload(Topic.author)).where(Topic.id == topic_id)
    )
    if topic is None:
        abort(404)
    return topic


def post_or_404(post_id: int) -> Post:
    """The post with its topic and group, in one query."""
    if not 0 < post_id <= MAX_ID:
        abort(404)
    post = db.session.scalar(
        select(Post)
        .join(Post.topic)
        .join(Topic.group)
        .options(contains_eager(Post.topic).contains_eager(Topic.group), joinedload(Post.author))
        .where(Post.id == post_id)
    )
    if post is None:
        abort(404)
    return post


def groups_with_latest_topic(viewer: object = None) -> list[tuple[Group, Topic | None]]:
    """Every group the viewer may read, in display order, with its most recently active visible topic (two queries)."""
    latest_id = (
        select(Topic.id)
        .where(Topic.group_id == Group.id, Topic.status == ContentStatus.VISIBLE)
        .order_by(Topic.last_activity_at.desc(), Topic.id.desc())
        .limit(1)
        .correlate(Group)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Group, latest_id.label("latest_id"))
        .where(readable_group_filter(viewer))
        .order_by(Group.archived, Group.position, Group.name)
    ).all()
    ids = [row.latest_id for row in rows if row.latest_id is not None]
    topics = {t.id: t for t in db.session.scalars(select(Topic).where(Topic.id.in_(ids)))} if ids else {}
    return [(row.Group, topics.get(row.latest_id)) for row in rows]


def latest_topics(
    viewer: object, groups: list[tuple[Group, Topic | None]], limit: int, options: Sequence[ExecutableOption] = ()
) -> list[Topic]:
    """The most recently active topics the viewer may see, newest first, for the home page (one query at most).

    `groups` is groups_with_latest_topic(viewer): each readable group with its latest visible topic. Those are
    distinct topics, so the `limit`-th most recent of them is a lower bound for the whole list: the query reads
    only topics at least that recent, group by group from ix_topics_group_latest, instead of sorting the site.
    `options` load more with them (the reader's unread markers), also onto topics `groups` already loaded."""
    known = [(group, topic) for group, topic in groups if topic is not None]
    if not known:
        return []
    since = sorted((topic.last_activity_at for _, topic in known), reverse=True)[min(limit, len(known)) - 1]
    return list(
        db.session.scalars(
            select(Topic)
            .where(
                Topic.group_id.in_([group.id for group, _ in known]),  # readable_group_filter chose these groups
                visible_topic_filter(viewer),
                Topic.status == ContentStatus.VISIBLE,  # never what waits for review or was hidden, not even for staff
                Topic.last_activity_at >= since,
            )
            .order_by(Topic.last_activity_at.desc(), Topic.id.desc())
            .limit(limit)
            .options(*options)
            .execution_options(populate_existing=bool(options))
        )
    )


GROUP_LISTING_ORDER = (Topic.pinned.desc(), Topic.pin_rank.desc(), Topic.last_activity_at.desc(), Topic.id.desc())


def group_topics(group: Group, viewer: object, offset: int, limit: int) -> Select[Topic]:
    """One page of a group's topics: pinned first (in staff's order), then latest activity, authors loaded alongside.

    The page's ids come from the listing index alone (ix_topics_group_listing covers the filter and the order), and
    only those rows are read and joined: page 500 skips 10,000 index entries, not 10,000 topics with their authors."""
    page_ids = (
        select(Topic.id)
        .where(Topic.group_id == group.id, visible_topic_filter(viewer))
        .order_by(*GROUP_LISTING_ORDER)
        .offset(offset)
        .limit(limit)
        .subquery("page_ids")
    )
    return (
        select(Topic)
        .join(page_ids, Topic.id == page_ids.c.id)
        .options(joinedload(Topic.author))
        .order_by(*GROUP_LISTING_ORDER)
    )


def count_topic_posts(topic: Topic, viewer: object, before_id: int | None = None) -> int:
    """How many posts of the topic this viewer sees (optionally only those before a given post)."""
    query = select(func.count()).select_from(Post).where(Post.topic_id == topic.id, readable_post_filter(viewer, topic))
    if before_id is not None:
        query = query.where(Post.id < before_id)
    return db.session.scalar(query) or 0


POST_ORDERS = {
    "oldest": (Post.id,),
    # The question first, then staff's recommended reply, then the replies most members found helpful.
    "helpful": (Post.is_opening.desc(), Post.recommended.desc(), Post.helpful_count.desc(), Post.id),
}


def topic_posts(topic: Topic, viewer: object, offset: int, limit: int, order: str = "oldest") -> list[Post]:
    """One page of a topic's posts in order, authors and the reader's helpful marks and bookmarks in the same query.

    The page's ids are picked first (from ix_posts_topic_order in the usual order), then only those posts are read
    with their authors, pictures and marks: the last page of a 2,000-post topic costs what the first does."""
    ordering = POST_ORDERS.get(order, POST_ORDERS["oldest"])
    page_ids = (
        select(Post.id)
        .where(Post.topic_id == topic.id, readable_post_filter(viewer, topic))
        .order_by(*ordering)
        .offset(offset)
        .limit(limit)
        .subquery("page_ids")
    )
    return list(
        db.session.scalars(
            select(Post)
            .join(page_ids, Post.id == page_ids.c.id)
            .options(
                joinedload(Post.author),
                joinedload(Post.pictures),  # in the same statement: a page with pictures costs what one without does
                with_expression(Post.marked_by_viewer, marked_by_viewer(viewer)),
                with_expression(Post.viewer_bookmark_id, post_bookmark_id(viewer)),
            )
            .order_by(*ordering)
        ).unique()
    )


def site_wide_pins(viewer: object = None) -> list[Topic]:
    """Topics pinned site-wide that the viewer may read, for the home page, in staff's order (one query)."""
    return list(
        db.session.scalars(
            select(Topic)
            .join(Topic.group)
            .options(contains_eager(Topic.group))
            .where(Topic.pinned_site_wide, Topic.status == ContentStatus.VISIBLE, readable_group_filter(viewer))
            .order_by(Topic.pin_rank.desc(), Topic.id.desc())
        )
    )


def member_by_name_or_404(name: str) -> Member:
    if "\x00" in name:  # no name holds a NUL, and PostgreSQL refuses one in a query
        abort(404)
    member = db.session.scalar(select(Member).where(Member.display_name_key == display_name_key(name)[:160]))
    if member is None:
        abort(404)
    return member


def recent_public_posts(member: Member, viewer: object = None, limit: int = 10) -> list[Post]:
    """A member's latest published posts in published topics of groups the viewer may read, newest first."""
    return list(
        db.session.scalars(
            select(Post)
            .join(Post.topic)
            .join(Topic.group)
            .options(contains_eager(Post.topic).contains_eager(Topic.group))
            .where(
                Post.author_id == member.id,
                Post.status == ContentStatus.VISIBLE,
                Topic.status == ContentStatus.VISIBLE,
                readable_group_filter(viewer),
            )
            .order_by(Post.id.desc())
            .limit(limit)
        )
    )


def opening_post_id(topic_id: int) -> int:
    """The id of a topic's opening post (what a link to the topic shows first); 404 when there is none."""
    if not 0 < topic_id <= MAX_ID:
        abort(404)
    post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic_id, Post.is_opening.is_(True)))
    if post_id is None:
        abort(404)
    return post_id
