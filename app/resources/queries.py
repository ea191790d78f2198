"""What the resource library shows: live entries only, featured posts only while members can still read them."""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, Select, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.community.queries import MAX_ID
from app.extensions import db
from app.models import ContentStatus, Group, Post, Resource, ResourceKind, Topic
from app.models.resources import resource_groups
from app.permissions import readable_group_filter

GROUP_BOX_SIZE = 5


def available(viewer: object = None) -> ColumnElement[bool]:
    """Not archived, and with something to show: a link, a page, or a featured post that is still published
    in a group the viewer may read (a members-only group's post never reaches visitors through the library)."""
    source_published = exists().where(
        Post.id == Resource.source_post_id,
        Post.status == ContentStatus.VISIBLE,
        Topic.id == Post.topic_id,
        Topic.status == ContentStatus.VISIBLE,
        Group.id == Topic.group_id,
        readable_group_filter(viewer),
    )
    return ~Resource.archived & or_(Resource.url.is_not(None), Resource.cooked.is_not(None), source_published)


def library_query(group: Group | None = None, kind: str | None = None, viewer: object = None) -> Select[Resource]:
    """The public library in staff's order, optionally one group's or one kind's entries."""
    query = select(Resource).where(available(viewer))
    if group is not None:
        query = query.where(
            exists().where(resource_groups.c.resource_id == Resource.id, resource_groups.c.group_id == group.id)
        )
    if kind in {k.value for k in ResourceKind}:
        query = query.where(Resource.kind == kind)
    return query.order_by(Resource.position, Resource.id)


def with_details(query: Select[Resource]) -> Select[Resource]:
    """Groups, and a featured post with its author and topic, loaded alongside (a fixed number of queries)."""
    return query.options(
        selectinload(Resource.groups),
        joinedload(Resource.source_post).joinedload(Post.author),
        joinedload(Resource.source_post).joinedload(Post.topic).joinedload(Topic.group),
    )


def group_resources(group: Group, viewer: object = None) -> list[Resource]:
    """The first few entries for a group page's box (one query)."""
    return list(db.session.scalars(library_query(group, viewer=viewer).limit(GROUP_BOX_SIZE)))


def resource_or_404(resource_id: int, *, include_hidden: bool = False, viewer: object = None) -> Resource:
    """An entry with its details; archived or unpublished ones answer 404 unless `include_hidden` (staff)."""
    if not 0 < resource_id <= MAX_ID:
        abort(404)
    query = with_details(select(Resource).where(Resource.id == resource_id)).options(selectinload(Resource.pictures))
    if not include_hidden:
        query = query.where(available(viewer))
    resource = db.session.scalar(query)
    if resource is None:
        abort(404)
    return resource
