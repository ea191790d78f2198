"""Date arithmetic that works the same in SQL on SQLite and PostgreSQL, so aggregates stay in the database."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, Date, Float, SQLColumnExpression, cast, extract, func, literal_column

from app.extensions import db


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def day_of(column: SQLColumnExpression[datetime]) -> ColumnElement:
    """The UTC calendar day of a timestamp, for GROUP BY (no bound parameters, so it groups on PostgreSQL)."""
    if _dialect() == "postgresql":
        return cast(func.timezone(literal_column("'UTC'"), column), Date)
    return func.date(column)  # SQLite keeps UTC timestamps as ISO text


def seconds_between(
    later: SQLColumnExpression[datetime | None], earlier: SQLColumnExpression[datetime]
) -> ColumnElement[float]:
    """`later - earlier` in seconds, as a number."""
    if _dialect() == "postgresql":
        return cast(extract("epoch", later - earlier), Float)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def as_date(value: object) -> date:
    """A day_of() result as a date: PostgreSQL returns dates, SQLite "YYYY-MM-DD" text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
