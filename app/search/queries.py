"""The one search query, used by the /search page and by bench/search_bench.py: a page of ranked, visible posts
with their total, in a single statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, SQLColumnExpression, func, select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models import Group, Member, Post, Topic
from app.models.community import SEARCH_VISIBILITY_INDEX
from app.permissions import readable_group_filter, searchable_post_filter
from app.search import sqlite_hints  # noqa: F401 - registers the SQLite hint rule this module uses
from app.search.engines import matching_posts
from app.search.syntax import ParsedQuery


@dataclass(frozen=True)
class Criteria:
    """A parsed query and its filters; dates bound created_at as [since, until)."""

    query: ParsedQuery
    group_id: int | None = None
    author_key: str | None = None  # identity.display_name_key() of the author's display name
    since: datetime | None = None
    until: datetime | None = None
    topics_only: bool = False


@dataclass(frozen=True)
class Results:
    posts: list[Post]
    total: int


def _filters(criteria: Criteria) -> list[SQLColumnExpression[bool]]:
    filters: list[SQLColumnExpression[bool]] = []
    if criteria.group_id is not None:
        filters.append(Topic.group_id == criteria.group_id)
    if criteria.author_key is not None:
        filters.append(Member.display_name_key == criteria.author_key)
    if criteria.since is not None:
        filters.append(Post.created_at >= criteria.since)
    if criteria.until is not None:
        filters.append(Post.created_at < criteria.until)
    if criteria.topics_only:
        filters.append(Post.is_opening)
    return filters


def ranked_ids(criteria: Criteria, actor: object, offset: int, limit: int) -> Select:
    """(post_id, total) of one page of the posts the actor may find, most relevant first.

    Only ids and ranks travel through the sort: carrying whole posts through it costs more than the search."""
    hits = matching_posts(db.session.get_bind().dialect.name, criteria.query)
    query = (
        select(hits.c.post_id, func.count().over().label("total"))
        .select_from(hits)
        .join(Post, Post.id == hits.c.post_id)
        .join(Topic, Topic.id == Post.topic_id)
        .join(Group, Group.id == Topic.group_id)
    )
    if criteria.author_key is None and criteria.since is None and criteria.until is None:
        # The narrow index holds every post column this query reads: SQLite would read whole rows by rowid.
        query = query.with_hint(Post, f"INDEXED BY {SEARCH_VISIBILITY_INDEX}", dialect_name="sqlite")
    if criteria.author_key is not None:
        query = query.join(Member, Member.id == Post.author_id)
    return (
        query.where(searchable_post_filter(actor), *_filters(criteria))
        .order_by(hits.c.rank, hits.c.post_id.desc())
        .offset(offset)
        .limit(limit)
    )


def _load(ids: list[int]) -> list[Post]:
    """The posts with their topic, group and author, in the given order (one query)."""
    if not ids:
        return []
    posts = db.session.scalars(
        select(Post)
        .join(Post.topic)
        .join(Topic.group)
        .outerjoin(Post.author)
        .options(contains_eager(Post.topic).contains_eager(Topic.group), contains_eager(Post.author))
        .where(Post.id.in_(ids))
    )
    by_id = {post.id: post for post in posts}
    return [by_id[i] for i in ids if i in by_id]


def search_posts(criteria: Criteria, actor: object, offset: int, limit: int) -> Results:
    """One page of results and how many there are in all (0 when the page is past the end): two queries."""
    if not criteria.query:
        return Results([], 0)
    rows = db.session.execute(ranked_ids(criteria, actor, offset, limit)).all()
    return Results(_load([row.post_id for row in rows]), rows[0].total if rows else 0)


def searchable_groups(actor: object) -> list[Group]:
    """The groups offered in the filter: those whose posts the actor may find."""
    return list(
        db.session.scalars(
            select(Group).where(readable_group_filter(actor)).order_by(Group.archived, Group.position, Group.name)
        )
    )
