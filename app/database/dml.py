"""UPDATE, DELETE and insert-if-absent through the session, with the count of rows they matched."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Delete, Update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def rows_matched(statement: Update | Delete) -> int:
    """Run the statement in the current transaction; how many rows it matched (for optimistic checks and counts)."""
    # Session.execute() is typed as returning a Result; for an UPDATE or DELETE it is a CursorResult, with rowcount.
    result = cast(CursorResult, db.session.execute(statement))
    return result.rowcount


def insert_once(model: type[Any], **values: Any) -> bool:
    """INSERT the row unless one with the same key exists (ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike);
    whether this call stored it. Two simultaneous requests for a once-per-member row then both succeed, and only
    the one that inserted goes on to count it."""
    dialect = db.engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    key = model.__table__.primary_key.columns
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(*key)
    # RETURNING, not rowcount: an ORM-enabled INSERT through the session reports no rowcount on PostgreSQL.
    return db.session.execute(statement).first() is not None
