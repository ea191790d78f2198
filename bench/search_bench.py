"""Search benchmark: median and p95 time of two-word queries on a bulk-seeded database (target: < 50 ms median).

    DATABASE_URL=sqlite:///instance/bench-search.sqlite3 .venv/bin/python bench/search_bench.py
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/kindred_bench .venv/bin/python bench/search_bench.py

An empty database is filled first with the same seeding as `flask --app wsgi bench-seed` (2,000 members, 10 groups,
20,000 topics, 200,000 posts by default); a database that already holds data is measured as it is. Every query goes
through app.search.queries.search_posts, the function behind the /search page, as a visitor asking for page 1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import click
from sqlalchemy import func, inspect, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Post  # noqa: E402
from app.search.queries import Criteria, search_posts  # noqa: E402
from app.search.syntax import parse  # noqa: E402
from bench import seed as bench_seed  # noqa: E402

QUERIES = [
    "blood sugar", "chest pain", "side effects", "insulin pump", "sleep apnoea", "brain fog", "heart failure",
    "cardiac rehab", "joint pain", "test results", "waiting list", "weight loss", "glucose monitor", "night shifts",
    "second opinion", "energy levels", "compression socks", "flare ups", "diabetes nurse", "feeling exhausted",
    "metformin dizziness", "yoga anxiety", "pacemaker swimming", "steroids nausea", "breakfast carbohydrates",
]  # fmt: skip
DEFAULT_URL = f"sqlite:///{Path(__file__).resolve().parents[1] / 'instance' / 'bench-search.sqlite3'}"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--topics", type=int, default=20000)
    parser.add_argument("--posts", type=int, default=200000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the schema, then seed")
    return parser.parse_args()


def _prepare(args: argparse.Namespace) -> None:
    """Build the schema (the models plus the search DDL) and seed it when empty; then refresh statistics."""
    if args.fresh:
        db.drop_all()
    if "posts" not in inspect(db.engine).get_table_names():
        db.create_all()
    if bench_seed.is_empty():
        started = time.perf_counter()
        plan = bench_seed.plan(args.members, args.groups, args.topics, args.posts)
        with click.progressbar(length=bench_seed.row_count(plan), label="Seeding") as bar:
            bench_seed.seed(plan, bar.update)
        print(f"seeded in {time.perf_counter() - started:.1f} s")
    db.session.remove()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if connection.dialect.name == "postgresql" else "ANALYZE"))


def _time(query: str) -> tuple[float, int]:
    criteria = Criteria(parse(query))
    started = time.perf_counter()
    results = search_posts(criteria, None, 0, 20)
    elapsed = (time.perf_counter() - started) * 1000
    db.session.rollback()
    return elapsed, results.total


def main() -> None:
    args = _arguments()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _prepare(args)
        posts = db.session.scalar(select(func.count()).select_from(Post))
        print(f"{db.engine.dialect.name}: {posts:,} posts")
        for query in QUERIES:  # warm the caches once
            _time(query)
        timings: list[float] = []
        for query in QUERIES:
            runs = [_time(query) for _ in range(args.repeat)]
            timings += [ms for ms, _ in runs]
            print(f"  {query!r:28} {statistics.median(ms for ms, _ in runs):7.1f} ms  {runs[0][1]:>7,} matches")
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{db.engine.dialect.name}: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms "
              f"over {len(timings)} searches")  # fmt: skip


if __name__ == "__main__":
    main()
