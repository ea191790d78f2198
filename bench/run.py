"""`make bench`: Kindred's pages under load on a bulk-seeded database, against a bare Flask reference.

    .venv/bin/python bench/run.py                                   # SQLite, instance/bench.sqlite3
    .venv/bin/python bench/run.py --database postgresql+psycopg://postgres@127.0.0.1:5432/kindred_bench
    .venv/bin/python bench/run.py --database sqlite:///instance/bench-small.sqlite3 --topics 2000 --posts 20000 \
        --seconds 3 --reply-seconds 5                                # a quick run while iterating

An empty database is seeded once (bench-seed's data plus a member who signs in); later runs reuse it. Kindred and the
reference are served by gunicorn (2 workers, --no-control-socket) on free ports of 127.0.0.1 and loaded by wrk (or
bench/pyload.py) for a bounded time per page, as a visitor and as a signed-in member. Results go to stdout and to
bench/results.md, one section per database.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from bench import dataset, languages, load, report, server, sqlcount  # noqa: E402
from bench.browser import Browser, Replier  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = f"sqlite:///{ROOT / 'instance' / 'bench.sqlite3'}"
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", action="append", help="SQLAlchemy URL; repeat for several (default: "
                        "$DATABASE_URL, else instance/bench.sqlite3)")  # fmt: skip
    defaults = dataset.Sizes()
    for name in ("members", "groups", "topics", "posts"):
        parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name), help="seeding size")
    parser.add_argument("--seconds", type=float, default=10, help="load time per page and reader")
    parser.add_argument("--reply-seconds", type=float, default=30, help="time posting replies under read load")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database's tables and seed again")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md")
    return parser.parse_args()


def _body_size(url: str, cookie: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 - http://127.0.0.1
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own 127.0.0.1 server
        return len(response.read())


def _warm(url: str, cookie: str | None) -> None:
    for _ in range(server.WORKERS * 3):  # every worker loads its templates and caches before the clock starts
        _body_size(url, cookie)


def measure(url: str, args: argparse.Namespace) -> report.Section:
    """Seed if needed, count statements in-process, then load every page through gunicorn against the reference."""
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "PAGE_CACHE": False})
    with app.app_context():
        dataset.prepare(dataset.Sizes(args.members, args.groups, args.topics, args.posts), args.fresh)
        target = dataset.target(app.config["TOPICS_PER_PAGE"], app.config["POSTS_PER_PAGE"])
        dialect = app.extensions["sqlalchemy"].engine.dialect.name
    visitor_sql = sqlcount.measure_pages(app, target.pages, None, None)
    member_sql = sqlcount.measure_pages(app, target.pages, dataset.READER_EMAIL, dataset.READER_PASSWORD)
    translated = app.test_client()
    sqlcount.sign_in(translated, dataset.READER_EMAIL, dataset.READER_PASSWORD)
    language_costs = languages.measure(translated, target.pages)
    env = {"DATABASE_URL": url, "KINDRED_ENV": "development", "KINDRED_RATELIMIT": "0"}
    env["SECRET_KEY"] = secrets.token_urlsafe(48)  # gunicorn refuses the development placeholder
    section = report.Section(NAMES.get(dialect, dialect), _context(args, target), languages=language_costs)
    with (
        server.gunicorn("wsgi:app", env, "/healthz") as kindred,
        server.gunicorn("bench.reference_app:app", {}, "/1000") as ref,
    ):
        cookie = Browser(kindred.url).sign_in(dataset.READER_EMAIL, dataset.READER_PASSWORD)
        for name, path in target.pages.items():
            size = _body_size(kindred.url + path)
            _warm(kindred.url + path, None)
            _warm(kindred.url + path, cookie)
            _warm(f"{ref.url}/{size}", None)
            reference = load.run(f"{ref.url}/{size}", args.seconds)
            for role, sql, headers in _readers(visitor_sql, member_sql, cookie):
                figures = load.run(kindred.url + path, args.seconds, headers)
                section.rows.append(report.Row(name, role, figures, sql[name].statements, size, reference,
                                               sql[name].render_ms))  # fmt: skip
                print(section.rows[-1].markdown(), flush=True)
        _replies_under_load(section, kindred.url, target, args.reply_seconds)
        section.rss_mb = kindred.worker_rss_mb()
    section.context.append(f"load average at the end: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return section


def _readers(visitor_sql: dict, member_sql: dict, cookie: str) -> list[tuple[str, dict, dict[str, str]]]:
    """Who loads each page: a visitor; the signed-in member re-reading it (their own cached copy); and the same
    member forcing a fresh rendering every time, as a hard reload does (what a first view costs)."""
    return [
        ("visitor", visitor_sql, {}),
        (report.MEMBER, member_sql, {"Cookie": cookie}),
        (report.MEMBER_FIRST_VIEW, member_sql, {"Cookie": cookie, "Cache-Control": "no-cache"}),
    ]


def _replies_under_load(section: report.Section, base: str, target: dataset.Target, seconds: float) -> None:
    """A member posts a reply every 0.2 s while four connections read topic page 1 as visitors."""
    browser = Browser(base)
    browser.sign_in(dataset.READER_EMAIL, dataset.READER_PASSWORD)
    replier = Replier(browser, target.reply_topic_id)
    replier.start()
    try:
        section.reply_reads = load.run(base + target.pages["topic page 1"], seconds)
    finally:
        replier.stop()
    section.reply_ms, section.reply_failures = replier.latencies, replier.failures
    print(f"replies under load: p99 {section.reply_p99():.0f} ms over {len(replier.latencies)} "
          f"({replier.failures} failed)")  # fmt: skip


def _context(args: argparse.Namespace, target: dataset.Target) -> list[str]:
    return [
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.node()}, {os.cpu_count()} CPUs; "
        f"load average at the start: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"data: {target.posts:,} posts (seeded with --members {args.members} --groups {args.groups} "
        f"--topics {args.topics} --posts {args.posts})",
        f"load: {load.tool()}, {load.CONNECTIONS} connections, {args.seconds:g} s per page and reader; gunicorn "
        f"{server.WORKERS} sync workers for Kindred and the reference",
    ]


def main() -> None:
    args = _arguments()
    for url in args.database or [os.environ.get("DATABASE_URL") or DEFAULT_URL]:
        section = measure(url, args)
        print(section.markdown())
        report.write(args.output, section)
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
