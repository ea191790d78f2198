"""Page loaders that bring the reader's follow state along in the query that loads the page's object."""

from __future__ import annotations

from flask import abort
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, with_expression

from app.community.queries import MAX_ID, group_or_404, topic_or_404
from app.extensions import db
from app.models import Group, GroupFollow, GroupMembership, Member, Topic, TopicFollow
from app.services.bookmarks.bookmarks import topic_bookmark_id


def topic_and_follow_or_404(topic_id: int, viewer: Member | None) -> tuple[Topic, TopicFollow | None]:
    """The topic with its group and author, the reader's follow row (outer-joined) and their bookmark on it
    (Topic.viewer_bookmark_id): still one query."""
    if viewer is None:
        return topic_or_404(topic_id), None
    if not 0 < topic_id <= MAX_ID:
        abort(404)
    row = db.session.execute(
        select(Topic, TopicFollow)
        .options(
            joinedload(Topic.group),
            joinedload(Topic.author),
            with_expression(Topic.viewer_bookmark_id, topic_bookmark_id(viewer)),
        )
        .outerjoin(TopicFollow, and_(TopicFollow.topic_id == Topic.id, TopicFollow.member_id == viewer.id))
        .where(Topic.id == topic_id)
    ).first()
    if row is None:
        abort(404)
    return row.Topic, row.TopicFollow


def group_follow_and_membership_or_404(slug: str, viewer: Member | None) -> tuple[Group, bool, bool]:
    """The group by its slug, whether the reader follows it and whether they joined it (both outer-joined: still
    one query)."""
    if viewer is None:
        return group_or_404(slug), False, False
    if "\x00" in slug:  # no slug holds a NUL, and PostgreSQL refuses one in a query
        abort(404)
    row = db.session.execute(
        select(Group, GroupFollow.member_id.label("follower_id"), GroupMembership.member_id.label("joined_id"))
        .outerjoin(GroupFollow, and_(GroupFollow.group_id == Group.id, GroupFollow.member_id == viewer.id))
        .outerjoin(GroupMembership, and_(GroupMembership.group_id == Group.id, GroupMembership.member_id == viewer.id))
        .where(Group.slug == slug[:80])
    ).first()
    if row is None:
        abort(404)
    return row.Group, row.follower_id is not None, row.joined_id is not None
