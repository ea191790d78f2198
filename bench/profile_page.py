"""What each benchmark page costs in-process, without HTTP or the page cache: CPU ms per request and statements,
as a signed-in member (default) or a visitor; `--profile PAGE` prints where one page's time goes (cProfile).

CPU time rather than wall time, so that other processes on a busy machine disturb the figures less.

    .venv/bin/python bench/profile_page.py --database sqlite:///instance/bench-small.sqlite3
    .venv/bin/python bench/profile_page.py --profile "topic page 1" --sort tottime
    .venv/bin/python bench/profile_page.py --visitor --language es   # the same pages in Spanish
    .venv/bin/python bench/profile_page.py --compare es,fr,de,ar     # each language against English, pair by pair
The database must have been seeded (make bench, or flask bench-seed); missing tables and indexes are added.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from bench import dataset, languages, sqlcount  # noqa: E402

DEFAULT_URL = f"sqlite:///{Path(__file__).resolve().parents[1] / 'instance' / 'bench.sqlite3'}"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_URL)
    parser.add_argument("--visitor", action="store_true", help="measure a visitor instead of a signed-in member")
    parser.add_argument("--language", default="en", help="the browser's Accept-Language, e.g. es or ar")
    parser.add_argument("--compare", metavar="LANGS", help="time these languages against English, e.g. es,ar")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument("--profile", metavar="PAGE", help='profile this page instead, e.g. "topic page 1"')
    parser.add_argument("--sort", default="cumulative", help="cProfile sort order")
    return parser.parse_args()


def _statements(client, engine, url: str) -> int:  # noqa: ANN001
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def main() -> None:
    """Print each page's median CPU ms per request and its statements, or one page's profile."""
    args = _arguments()
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": args.database, "RATELIMIT_ENABLED": False,
                                     "PAGE_CACHE": False})  # fmt: skip
    with app.app_context():
        dataset.prepare(dataset.Sizes())  # seeds only an empty database
        pages = dataset.target(app.config["TOPICS_PER_PAGE"], app.config["POSTS_PER_PAGE"]).pages
        engine = db.engine
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = args.language  # the member has chosen none: the browser's wins
    if not args.visitor:
        sqlcount.sign_in(client, dataset.READER_EMAIL, dataset.READER_PASSWORD)
    # Outside any app context: each request gets its own, and its own database session, as under gunicorn.
    for name, url in pages.items():
        if args.profile and name != args.profile:
            continue
        for _ in range(3):  # templates compiled, caches warm
            assert client.get(url).status_code == 200, f"{url} did not answer 200"
        if args.compare:
            for language in args.compare.split(","):
                cost = languages.paired(client, name, url, language, args.requests)
                print(f"{name:24} {language}  en {cost.english_ms:6.2f} ms  {language} {cost.translated_ms:6.2f} ms  "
                      f"ratio {cost.ratio:5.3f}")  # fmt: skip
        elif args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(_cpu_ms, client, url, args.requests)
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
        else:
            ms = statistics.median(_cpu_ms(client, url, args.requests))
            print(f"{name:24} {ms:6.2f} ms CPU  {_statements(client, engine, url)} statements")


def _cpu_ms(client, url: str, requests: int) -> list[float]:  # noqa: ANN001
    timings = []
    for _ in range(requests):
        started = time.process_time()
        client.get(url)
        timings.append((time.process_time() - started) * 1000)
    return timings


if __name__ == "__main__":
    main()
