"""The same rules as WHERE clauses, for lists, search and feeds: what an actor may see among many rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, true

from app.models import ContentStatus, Group, Member, MemberStatus, Post, Topic
from app.models.base import utcnow
from app.models.community import GroupVisibility
from app.models.messages import Block
from app.permissions.common import as_member, moderates

# What authors still see of their own: waiting for review, or turned down (to edit and resubmit).
AUTHOR_SEES = (ContentStatus.PENDING, ContentStatus.REJECTED)


def visible_topic_filter(actor: Any) -> ColumnElement[bool]:
    """WHERE clause for topics that `actor` may see in lists."""
    return Topic.status == ContentStatus.VISIBLE


def readable_post_filter(actor: Any, topic: Topic) -> ColumnElement[bool]:
    """WHERE clause for the posts shown in a topic's stream: published ones, placeholders for
    deleted ones, and the reader's own posts waiting for review or turned down."""
    member = as_member(actor)
    if moderates(member, topic.group_id):
        return true()
    shown = Post.status.in_([ContentStatus.VISIBLE, ContentStatus.DELETED])
    if member is None:
        return shown
    own = (Post.author_id == member.id) & Post.status.in_(AUTHOR_SEES)
    return or_(shown, own)


def readable_group_filter(actor: Any) -> ColumnElement[bool]:
    """WHERE clause for the groups `actor` may read (lists, search, profiles); the same ladder as view_group."""
    # Signed-in members read every group; visitors (and so feeds and crawlers) the public ones only.
    if as_member(actor) is not None:
        return true()
    return Group.visibility == GroupVisibility.PUBLIC


def searchable_post_filter(actor: Any) -> ColumnElement[bool]:
    """WHERE clause (over posts joined to their topic and group) for what `actor` may find by searching:
    published posts in published topics only, never pending, rejected, hidden or deleted ones, not even for
    their author or a moderator, who see those in the topic itself and in the review queue."""
    published = (Post.status == ContentStatus.VISIBLE) & (Topic.status == ContentStatus.VISIBLE)
    return published & readable_group_filter(actor)


def public_post_filter() -> ColumnElement[bool]:
    """WHERE clause for posts that may leave the site: feeds, the sitemap and link previews are what a visitor
    could find, whoever asks."""
    return searchable_post_filter(None)


def is_public_group(group: Group) -> bool:
    """May the group's content be syndicated (feeds, sitemap) and indexed by search engines?"""
    return group.visibility == GroupVisibility.PUBLIC


def is_public_topic(topic: Topic) -> bool:
    """May the topic be indexed, previewed (Open Graph) and syndicated? Anything else carries `noindex`."""
    return topic.status == ContentStatus.VISIBLE and is_public_group(topic.group)


def suggestible_member_filter(actor: Any) -> ColumnElement[bool]:
    """WHERE clause for the members whose names may be suggested to `actor` as they type a recipient or a mention:
    active accounts (never suspended or erased ones), not the actor, and nobody with a block between them either
    way (a suggestion would say who blocked whom, or invite writing to someone who does not want it)."""
    member = as_member(actor)
    if member is None:
        return false()
    blocked = exists().where(
        or_(
            and_(Block.blocker_id == member.id, Block.blocked_id == Member.id),
            and_(Block.blocked_id == member.id, Block.blocker_id == Member.id),
        )
    )
    # A suspension with an end date lapses by itself, before anyone changes the status back.
    lapsed = (Member.status == MemberStatus.SUSPENDED) & (Member.suspended_until <= utcnow())
    active = (Member.status == MemberStatus.ACTIVE) | lapsed
    return active & (Member.id != member.id) & ~blocked
