"""The search query reads each match's visibility from narrow indexes, not from whole post rows."""

import pytest
from sqlalchemy import text

from app.extensions import db
from app.search.queries import Criteria, ranked_ids
from app.search.syntax import parse


def _plan(criteria: Criteria) -> str:
    statement = ranked_ids(criteria, None, 0, 20)
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    return " | ".join(row[3] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))


@pytest.fixture
def sqlite_only(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's planner only: PostgreSQL chooses its indexes itself")
        yield


def test_posts_are_checked_from_the_covering_index(sqlite_only):
    """A plain search looks posts up in ix_posts_search_visibility alone."""
    plan = _plan(Criteria(query=parse("blood sugar")))
    assert "COVERING INDEX ix_posts_search_visibility" in plan


def test_topics_only_search_is_covered_too(sqlite_only):
    """Limiting the search to opening posts still needs no post row."""
    plan = _plan(Criteria(query=parse("blood sugar"), topics_only=True))
    assert "COVERING INDEX ix_posts_search_visibility" in plan


def test_author_filter_reads_rows(sqlite_only):
    """With an author filter the index would not cover the query, so no index is imposed."""
    plan = _plan(Criteria(query=parse("blood sugar"), author_key="someone"))
    assert "ix_posts_search_visibility" not in plan
