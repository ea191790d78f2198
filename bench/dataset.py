"""The benchmark's database: schema, bulk seed (once), the signed-in reader, and the pages to measure."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import quote

import click
from sqlalchemy import func, inspect, select, text, update
from sqlalchemy.schema import CreateColumn

from app.extensions import db
from app.models import Group, Member, Post, Topic
from app.services.community.groups import join_group
from app.services.members.accounts import create_member
from bench import seed as bench_seed

READER_EMAIL = "bench-reader@example.org"
READER_NAME = "Bench Reader"
READER_PASSWORD = "bench reader passphrase 7"  # noqa: S105 - a throwaway login of the benchmark database
SEARCH_QUERY = "blood sugar"
DEEP_GROUP_PAGE = 500


@dataclass(frozen=True)
class Sizes:
    members: int = 2000
    groups: int = 10
    topics: int = 20000
    posts: int = 200000


@dataclass(frozen=True)
class Target:
    """What the run needs to know about the data: the pages to load and the topic the reader replies to."""

    pages: dict[str, str]
    reply_topic_id: int
    posts: int


def prepare(sizes: Sizes, fresh: bool = False) -> None:
    """Create missing tables and indexes, seed an empty database, add the reader, refresh planner statistics."""
    engine = db.engine
    if fresh:
        db.drop_all()
    db.create_all()  # only what is missing: tables added to the models since the database was seeded
    _add_missing_columns()
    for table in db.metadata.sorted_tables:  # and indexes added since
        for index in table.indexes:
            index.create(engine, checkfirst=True)
    if bench_seed.is_empty():
        started = time.perf_counter()
        plan = bench_seed.plan(sizes.members, sizes.groups, sizes.topics, sizes.posts)
        with click.progressbar(length=bench_seed.row_count(plan), label="Seeding") as bar:
            bench_seed.seed(plan, bar.update)
        click.echo(f"seeded in {time.perf_counter() - started:.0f} s")
    _ensure_reader()
    db.session.remove()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if connection.dialect.name == "postgresql" else "ANALYZE"))


def _add_missing_columns() -> None:
    """Columns added to the models since the database was seeded (the benchmark's data is not migrated)."""
    inspector = inspect(db.engine)
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                if not column.nullable and column.server_default is None:
                    raise SystemExit(f"{table.name}.{column.name} is new and has no server default: rerun with --fresh")
                spec = CreateColumn(column).compile(dialect=connection.dialect)
                connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {spec}"))


def _ensure_reader() -> None:
    """A member who can sign in and post straight away (trusted), in the busiest group."""
    reader = db.session.scalar(select(Member).where(Member.email == READER_EMAIL))
    if reader is None:
        reader = create_member(email=READER_EMAIL, display_name=READER_NAME, password=READER_PASSWORD,
                               accepted_guidelines=True)  # fmt: skip
        db.session.execute(update(Member).where(Member.id == reader.id).values(approved_posts=1000))
        db.session.commit()
    join_group(reader, _busiest_group())


def _busiest_group() -> Group:
    return db.session.scalars(select(Group).order_by(Group.topic_count.desc(), Group.id)).first()


def target(per_page_topics: int, per_page_posts: int) -> Target:
    """The URLs of the measured pages, picked from the data (the deep pages are the deepest that exist)."""
    group = _busiest_group()
    topic = db.session.get(Topic, 1)
    group_pages = max(1, -(-group.topic_count // per_page_topics))
    topic_pages = max(1, -(-(topic.reply_count + 1) // per_page_posts))
    author = db.session.get(Member, topic.author_id)
    reply_topic = db.session.scalar(select(func.min(Topic.id)).where(Topic.group_id == group.id, Topic.id != 1))
    pages = {
        "home": "/",
        "group page 1": f"/g/{group.slug}",
        f"group page {min(DEEP_GROUP_PAGE, group_pages)}": f"/g/{group.slug}?page={min(DEEP_GROUP_PAGE, group_pages)}",
        "topic page 1": f"/t/{topic.id}/{topic.slug}",
        f"topic page {topic_pages} (last)": f"/t/{topic.id}/{topic.slug}?page={topic_pages}",
        "profile": f"/u/{quote(author.display_name)}",
        "search": f"/search?q={quote(SEARCH_QUERY)}",
    }
    posts = db.session.scalar(select(func.count()).select_from(Post)) or 0
    return Target(pages=pages, reply_topic_id=reply_topic or 1, posts=posts)
