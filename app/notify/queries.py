"""Page loaders that bring the reader's follow state along in the query that loads the page's object."""

from __future__ import annotations

from flask import abort
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from app.community.queries import MAX_ID, group_or_404, topic_or_404
from app.extensions import db
from app.models import Draft, Group, GroupFollow, Member, Topic, TopicFollow
from app.services.drafts.drafts import expiry


def topic_and_follow_or_404(topic_id: int, viewer: Member | None) -> tuple[Topic, TopicFollow | None]:
    """The topic with its group and author, and the reader's follow row (outer-joined: still one query)."""
    topic, follow, _draft = topic_follow_and_draft_or_404(topic_id, viewer)
    return topic, follow


def topic_follow_and_draft_or_404(
    topic_id: int, viewer: Member | None
) -> tuple[Topic, TopicFollow | None, Draft | None]:
    """The same, with the reader's unexpired reply draft for the topic page's form (outer-joined too)."""
    if viewer is None:
        return topic_or_404(topic_id), None, None
    if not 0 < topic_id <= MAX_ID:
        abort(404)
    draft_here = and_(Draft.member_id == viewer.id, Draft.kind == "reply", Draft.target_id == Topic.id)
    row = db.session.execute(
        select(Topic, TopicFollow, Draft)
        .options(joinedload(Topic.group), joinedload(Topic.author))
        .outerjoin(TopicFollow, and_(TopicFollow.topic_id == Topic.id, TopicFollow.member_id == viewer.id))
        .outerjoin(Draft, and_(draft_here, Draft.saved_at >= expiry()))
        .where(Topic.id == topic_id)
    ).first()
    if row is None:
        abort(404)
    return row.Topic, row.TopicFollow, row.Draft


def group_and_follow_or_404(slug: str, viewer: Member | None) -> tuple[Group, bool]:
    """The group by its slug, and whether the reader follows it (outer-joined: still one query)."""
    if viewer is None:
        return group_or_404(slug), False
    if "\x00" in slug:  # no slug holds a NUL, and PostgreSQL refuses one in a query
        abort(404)
    row = db.session.execute(
        select(Group, GroupFollow.member_id)
        .outerjoin(GroupFollow, and_(GroupFollow.group_id == Group.id, GroupFollow.member_id == viewer.id))
        .where(Group.slug == slug[:80])
    ).first()
    if row is None:
        abort(404)
    return row.Group, row.member_id is not None
