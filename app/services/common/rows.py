"""Deleting rows for good, as both databases would by their declared foreign-key rules, and what may be deleted so.

A post nobody but moderators ever saw (pending, rejected) is deleted outright when its author removes it: a
"removed by its author" placeholder would tell visitors that something had been there.
"""

from __future__ import annotations

from sqlalchemy import Table, delete, func, select, update

from app.extensions import db
from app.models import ContentStatus, Post, Topic

NEVER_PUBLISHED = (ContentStatus.PENDING, ContentStatus.REJECTED)


def only_theirs(topic: Topic) -> bool:
    """Does the topic hold nothing written by anyone else (so deleting it takes nobody else's words)?"""
    by_others = Post.author_id.is_distinct_from(topic.author_id)
    return not db.session.scalar(select(func.count(Post.id)).where(Post.topic_id == topic.id, by_others))


def _referrers(table: Table) -> list:
    return [
        column
        for other in db.metadata.sorted_tables
        for column in other.columns
        for fk in column.foreign_keys
        if fk.column.table is table
    ]


def delete_rows(table: Table, ids: list[int]) -> None:
    """Delete rows by id, first dealing with every row that points at them by its declared ON DELETE rule (SET NULL
    unlinks, anything else deletes, recursively), so both databases end in the same state whatever their own
    foreign-key enforcement does."""
    if not ids:
        return
    for column in _referrers(table):
        ondelete = next(iter(column.foreign_keys)).ondelete
        where = column.in_(ids)
        if ondelete and ondelete.upper() == "SET NULL" and column.nullable:
            db.session.execute(update(column.table).where(where).values({column.name: None}))
        elif _referrers(column.table) and "id" in column.table.c:
            delete_rows(column.table, list(db.session.scalars(select(column.table.c.id).where(where))))
        else:
            db.session.execute(delete(column.table).where(where))
    db.session.execute(delete(table).where(table.c.id.in_(ids)))
