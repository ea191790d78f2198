"""Bulk seeding for benchmarks (`flask --app wsgi bench-seed`): many members, groups, topics and posts, fast.

Rows go in with core executemany INSERTs in batches, counters computed up front so they match the rows exactly.
Bodies are 1-3 paragraphs drawn from a pool of generated, cooked paragraphs (Markdown cooked once per paragraph by
app.text.rendering.cook: cooking 200,000 posts one by one would take minutes). Topic 1 gets TOPIC_ONE_POSTS posts, the
other replies are spread over the other topics at random. Group 1 gets half the topics (plus its share of the rest),
so a group has hundreds of pages to read deep into. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import click
from argon2 import PasswordHasher
from sqlalchemy import func, insert, select, text

from app.extensions import db
from app.models import Group, GroupMembership, Member, Post, Topic
from app.models.base import utcnow
from app.services.common.cleaning import slugify
from app.services.members.identity import display_name_key
from app.text.rendering import cook
from bench.text import GROUP_NAMES, display_names, paragraph, title

TOPIC_ONE_POSTS = 2000
PARAGRAPH_POOL = 6000
BATCH = 5000
SPAN = timedelta(days=730)  # content spread over the last two years

Progress = Callable[[int], None]


@dataclass
class Plan:
    """Everything to insert, decided before the first INSERT so the counters are exact."""

    now: datetime
    members: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    memberships: list[dict] = field(default_factory=list)


def is_empty() -> bool:
    """Bench seeding only fills an empty database: mixed data would make the figures meaningless."""
    return not db.session.scalar(select(func.count()).select_from(Member))


def _pool(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """(raw, cooked) paragraphs; a post joins 1-3 of them, which cooks to the same HTML as cooking the whole."""
    return [(raw, cook(raw).strip()) for raw in (paragraph(rng) for _ in range(size))]


def _reply_counts(rng: random.Random, topics: int, posts: int) -> list[int]:
    """Replies per topic: topic 1 has TOPIC_ONE_POSTS posts in all, the rest spread at random."""
    counts = [0] * topics
    counts[0] = min(TOPIC_ONE_POSTS - 1, max(0, posts - topics))
    for _ in range(max(0, posts - topics - counts[0])):
        counts[rng.randrange(1, topics) if topics > 1 else 0] += 1
    return counts


def plan(members: int, groups: int, topics: int, posts: int, seed: int = 5) -> Plan:
    """Decide every row. Ids are assigned here (1..n) so rows can refer to each other before insertion."""
    rng, now = random.Random(seed), utcnow()  # noqa: S311 - reproducible sample data, not secrets
    result = Plan(now=now)
    password_hash = PasswordHasher().hash(f"bench-{rng.random()}")  # nobody knows it: no bench member can sign in
    for n, name in enumerate(display_names(rng, members), start=1):
        result.members.append(_member(n, name, password_hash, now - SPAN - timedelta(days=1)))
    names = [*GROUP_NAMES, *((f"Group {n}", f"group-{n}") for n in range(len(GROUP_NAMES) + 1, groups + 1))]
    for n, (name, slug) in enumerate(names[: max(1, groups)], start=1):
        result.groups.append(dict(id=n, name=name, slug=slug, description=f"Talking about {name.lower()}.",
                                  position=n, created_at=now - SPAN, topic_count=0, post_count=0,
                                  member_count=0, last_activity_at=None))  # fmt: skip
    pool = _pool(rng, min(PARAGRAPH_POOL, max(3, posts)))
    _plan_topics(result, rng, topics, posts, pool)
    _plan_memberships(result, rng)
    return result


def _member(n: int, name: str, password_hash: str, joined: datetime) -> dict:
    return dict(id=n, email=f"bench{n}@example.org", display_name=name, display_name_key=display_name_key(name),
                password_hash=password_hash, role="member", status="active", created_at=joined,
                guidelines_accepted_at=joined, post_count=0, approved_posts=0)  # fmt: skip


def _body(rng: random.Random, pool: list[tuple[str, str]]) -> tuple[str, str]:
    chosen = rng.sample(pool, rng.randint(1, 3))
    return "\n\n".join(raw for raw, _ in chosen), "\n".join(cooked for _, cooked in chosen)


def _plan_topics(result: Plan, rng: random.Random, topics: int, posts: int, pool: list[tuple[str, str]]) -> None:
    members, groups, now = result.members, result.groups, result.now
    replies: list[tuple[datetime, int]] = []
    for n, count in enumerate(_reply_counts(rng, topics, posts), start=1):
        group, author = rng.choice(groups), rng.choice(members)
        group = groups[0] if n % 2 else group  # half the topics in group 1: its page 500 exists (20 a page)
        started = now - SPAN * (1 - (n - 1) / max(1, topics)) + timedelta(seconds=rng.randrange(3600))
        topic = dict(id=n, group_id=group["id"], author_id=author["id"], title=title(rng), created_at=started,
                     last_activity_at=started, reply_count=count, status="visible")  # fmt: skip
        topic["slug"] = slugify(topic["title"])
        result.topics.append(topic)
        raw, cooked = _body(rng, pool)
        result.posts.append(_post(n, n, author, raw, cooked, started, opening=True))
        group["topic_count"] += 1
        group["post_count"] += 1 + count
        replies += [(started + (now - started) * rng.random(), n) for _ in range(count)]
    replies.sort()
    for offset, (moment, topic_id) in enumerate(replies, start=topics + 1):
        topic, author = result.topics[topic_id - 1], rng.choice(members)
        raw, cooked = _body(rng, pool)
        result.posts.append(_post(offset, topic_id, author, raw, cooked, moment, opening=False))
        topic["last_activity_at"] = max(topic["last_activity_at"], moment)
    for topic in result.topics:
        group = groups[topic["group_id"] - 1]
        group["last_activity_at"] = max(filter(None, [group["last_activity_at"], topic["last_activity_at"]]))


def _post(n: int, topic_id: int, author: dict, raw: str, cooked: str, moment: datetime, *, opening: bool) -> dict:
    author["post_count"] += 1
    author["approved_posts"] += 1
    return dict(id=n, topic_id=topic_id, author_id=author["id"], is_opening=opening, raw=raw, cooked=cooked,
                status="visible", created_at=moment, edited_at=None, resubmitted=False)  # fmt: skip


def _plan_memberships(result: Plan, rng: random.Random) -> None:
    """Each member joins one to three groups."""
    for member in result.members:
        for group in rng.sample(result.groups, min(len(result.groups), rng.randint(1, 3))):
            result.memberships.append(
                dict(member_id=member["id"], group_id=group["id"], joined_at=member["created_at"])
            )
            group["member_count"] += 1


def row_count(p: Plan) -> int:
    """How many rows seeding writes: the length of the progress bar."""
    return len(p.members) + len(p.groups) + len(p.topics) + len(p.posts) + len(p.memberships)


def seed(p: Plan, progress: Progress = lambda n: None) -> None:
    """Insert the planned rows in batches, one transaction per table, reporting progress in rows."""
    for model, rows in ((Member, p.members), (Group, p.groups), (GroupMembership, p.memberships),
                        (Topic, p.topics), (Post, p.posts)):  # fmt: skip
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            db.session.execute(insert(model), batch)
            db.session.commit()  # small transactions keep SQLite's write-ahead log short
            progress(len(batch))
    _restart_sequences()


def _restart_sequences() -> None:
    """PostgreSQL's id sequences never saw the explicit ids: move them past the seeded rows."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for name in ("members", "groups", "topics", "posts"):  # fixed names, no user input
        statement = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"  # noqa: S608
        db.session.execute(text(statement))
    db.session.commit()


@click.command("bench-seed")
@click.option("--members", default=2000, show_default=True, type=click.IntRange(1))
@click.option("--groups", default=10, show_default=True, type=click.IntRange(1))
@click.option("--topics", default=20000, show_default=True, type=click.IntRange(1))
@click.option("--posts", default=200000, show_default=True, type=click.IntRange(1), help="Opening posts included.")
@click.option(
    "--seed", "random_seed", default=5, show_default=True, help="Random seed: the same seed gives the same data."
)
def bench_seed_command(members: int, groups: int, topics: int, posts: int, random_seed: int) -> None:
    """Fill an empty database with bulk data for benchmarks (topic 1 gets 2,000 posts)."""
    if not is_empty():
        raise click.ClickException("The database is not empty; bench-seed only fills an empty database.")
    if posts < topics:
        raise click.ClickException("Every topic needs its opening post: --posts must be at least --topics.")
    click.echo("Planning rows and cooking paragraphs ...")
    rows = plan(members, groups, topics, posts, random_seed)
    with click.progressbar(length=row_count(rows), label="Inserting rows") as bar:
        seed(rows, bar.update)
    click.echo(f"Seeded {members} members, {groups} groups, {topics} topics and {posts} posts.")
