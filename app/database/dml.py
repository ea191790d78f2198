"""UPDATE and DELETE through the session, with the count of rows they matched."""

from __future__ import annotations

from typing import cast

from sqlalchemy import CursorResult, Delete, Update

from app.extensions import db


def rows_matched(statement: Update | Delete) -> int:
    """Run the statement in the current transaction; how many rows it matched (for optimistic checks and counts)."""
    # Session.execute() is typed as returning a Result; for an UPDATE or DELETE it is a CursorResult, with rowcount.
    result = cast(CursorResult, db.session.execute(statement))
    return result.rowcount
