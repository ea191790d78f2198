"""`flask --app wsgi bench-seed`: bulk data for the search benchmark, with exact counters and a working index."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Post, Topic
from tests.conftest import FormClient
from tests.factories import make_member
from tests.support import counters_and_recounts, found

ARGS = ["bench-seed", "--members", "6", "--groups", "3", "--topics", "5", "--posts", "2010"]


def posts_per_topic() -> dict[int, int]:
    rows = db.session.execute(select(Post.topic_id, func.count()).group_by(Post.topic_id))
    return dict(rows.all())


def test_bench_seed_fills_an_empty_database(runner, client: FormClient) -> None:  # noqa: ANN001
    """Topic 1 gets 2,000 posts, the rest are spread over the others, and every counter matches the rows."""
    result = runner.invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    counts = posts_per_topic()
    assert (counts[1], sum(counts.values()), len(counts)) == (2000, 2010, 5)
    stored, counted = counters_and_recounts()
    assert stored == counted


def test_bench_seeded_posts_are_searchable(runner, client: FormClient) -> None:  # noqa: ANN001
    """The index triggers see bulk inserts too: a word of topic 1's title finds its opening post."""
    runner.invoke(args=ARGS)
    title = db.session.get(Topic, 1).title
    word = max(title.replace("?", " ").replace(":", " ").split(), key=len)
    assert 1 in found(client, word, topics="y")


def test_bench_seed_leaves_ids_free_for_new_rows(runner) -> None:  # noqa: ANN001
    """Rows inserted with explicit ids don't block new ones (PostgreSQL's sequences are moved on)."""
    runner.invoke(args=ARGS)
    assert make_member().id == 7


def test_bench_seed_refuses_a_database_with_data(runner) -> None:  # noqa: ANN001
    """Seeding only fills an empty database, and says so."""
    make_member()
    result = runner.invoke(args=ARGS)
    assert result.exit_code != 0 and "not empty" in result.output
