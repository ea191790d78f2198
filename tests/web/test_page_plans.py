"""Home page queries find their rows through indexes, whatever the number of topics.

Query counts are tested elsewhere (tests/web/test_query_counts.py); a query can be one statement and still read every
row. SQLite's plans are deterministic, so they are checked here; PostgreSQL chooses its plans from statistics."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import event

from app.community.queries import groups_with_latest_topic, latest_topics, site_wide_pins
from app.extensions import db
from tests.factories import make_group, make_topic


@pytest.fixture
def sqlite_only(app: Flask) -> Iterator[None]:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's planner only: PostgreSQL chooses its indexes from statistics")
    yield


def plan_of(query: Callable[[], object]) -> str:
    """The plan SQLite chooses for the one statement `query` runs."""
    seen: list[tuple[str, tuple]] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        query()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    (statement, parameters), *_ = seen
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    return " | ".join(row[3] for row in rows)


@pytest.mark.usefixtures("sqlite_only")
def test_site_wide_pins_are_found_without_reading_every_topic(app: Flask) -> None:
    with app.test_request_context():
        plan = plan_of(site_wide_pins)
    assert "ix_topics_site_wide_pins" in plan and "SCAN topics" not in plan, plan


@pytest.mark.usefixtures("sqlite_only")
def test_latest_topics_are_found_without_sorting_every_topic(app: Flask) -> None:
    """The home page's latest topics are read group by group from ix_topics_group_latest, from the known bound."""
    for _ in range(3):
        make_topic(group=make_group())
    with app.test_request_context():
        groups = groups_with_latest_topic(None)
        plan = plan_of(lambda: latest_topics(None, groups, 8))
    assert "ix_topics_group_latest" in plan and "SCAN topics" not in plan, plan
