"""Each page issues a fixed number of SQL statements, however many topics, posts and authors it shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.main.routes import LATEST_TOPICS_ON_HOME
from app.models import Group, Member, Post, Role, Topic, TopicRead
from app.search.routes import RESULTS_PER_PAGE
from tests.community.reading_support import add_posts, last_post_id, position
from tests.factories import make_event, make_group, make_member, make_post, make_topic
from tests.pictures.images import make_picture
from tests.support import opening_post

MAX_STATEMENTS = 8
RECENT_POSTS_ON_PROFILE = 10  # members.routes shows a member's latest ten posts


@pytest.fixture(params=[None, Role.MEMBER, Role.MODERATOR], ids=["visitor", "member", "moderator"])
def reader(request: pytest.FixtureRequest, client: FlaskClient, login_as: Callable) -> Member:
    """The one reading the pages: in the data either way, and signed in unless a visitor."""
    member = make_member(display_name="Reader", role=request.param or Role.MEMBER)
    if request.param is not None:
        login_as(member)
    client.get("/guidelines")  # warm up, so signing in and first-request work stay out of the counts
    return member


def statements_for(client: FlaskClient, count_queries: Callable, url: str, row_marker: str, rows: int) -> int:
    """The SQL statements one GET of `url` runs, after checking the page shows `rows` items."""
    # The test client reuses the test's app context, and with it its database session and the signed-in
    # member cached in `g`. A context of its own gives the request an empty session, as in production.
    with client.application.app_context(), count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count(row_marker) == rows
    return len(counter)


def page_and_rows(position: str, total: int, per_page: int) -> tuple[int, int]:
    """The number of the first or last page of a list, and how many items that page shows."""
    page = 1 if position == "first" else max(1, -(-total // per_page))
    return page, min(per_page, total - (page - 1) * per_page)


def group_with_topics(count: int, reader: Member) -> Group:
    """A group the reader joined, with `count` topics each started by a different member."""
    group = make_group(members=(reader,))
    for _ in range(count):
        make_topic(group=group)
    return group


def topic_with_posts(count: int, reader: Member) -> Topic:
    """A topic of `count` posts by different members, the last one by the reader (so it has edit controls)."""
    topic = make_topic(group=make_group(members=(reader,)))
    for _ in range(count - 2):
        make_post(topic=topic)
    make_post(topic=topic, author=reader)
    return topic


def member_with_posts(count: int) -> Member:
    """A member with `count` replies, each in another group's topic started by someone else."""
    writer = make_member()
    for _ in range(count):
        make_post(author=writer)
    return writer


@pytest.mark.parametrize("position", ["first", "last"])
def test_group_page_runs_fixed_statements(
    app: Flask, client: FlaskClient, count_queries: Callable, reader: Member, position: str
) -> None:
    """The group page runs the same few statements for 3 topics as for 30, on its first and last page."""
    per_page = app.config["TOPICS_PER_PAGE"]
    counts = []
    for size in (3, 30):
        group = group_with_topics(size, reader)
        page, rows = page_and_rows(position, size, per_page)
        counts.append(statements_for(client, count_queries, f"/g/{group.slug}?page={page}", 'class="topic-row"', rows))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


def test_group_page_with_next_events_runs_as_many_statements(
    app: Flask, client: FlaskClient, count_queries: Callable, reader: Member
) -> None:
    """A group page showing its next three events runs the statements of one without events, within the limit."""
    counts = []
    for events in (0, 3):
        group = group_with_topics(3, reader)
        for _ in range(events):
            make_event(group=group)
        counts.append(statements_for(client, count_queries, f"/g/{group.slug}", 'class="topic-row"', 3))
    without, with_events = counts
    assert with_events == without <= MAX_STATEMENTS


@pytest.mark.parametrize("position", ["first", "last"])
def test_topic_page_runs_fixed_statements(
    app: Flask, client: FlaskClient, count_queries: Callable, reader: Member, position: str
) -> None:
    """The topic page runs the same few statements for 3 posts as for 25, on its first and last page."""
    per_page = app.config["POSTS_PER_PAGE"]
    counts = []
    for size in (3, 25):
        topic = topic_with_posts(size, reader)
        page, rows = page_and_rows(position, size, per_page)
        url = f"/t/{topic.id}/{topic.slug}?page={page}"
        counts.append(statements_for(client, count_queries, url, '<li class="post', rows))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


def test_topic_page_with_pictures_runs_as_many_statements_as_without(
    app: Flask, client: FlaskClient, count_queries: Callable, reader: Member, tmp_path: Path
) -> None:
    """A topic page whose posts carry three pictures each runs the same statements as one without pictures."""
    app.config["UPLOADS_DIR"] = str(tmp_path)
    counts = []
    for pictures in (0, 3):
        topic = topic_with_posts(5, reader)
        for post in db.session.scalars(select(Post).where(Post.topic_id == topic.id)):
            for n in range(pictures):
                make_picture(post_id=post.id, owner_id=reader.id, alt=f"Picture {n}")
        url = f"/t/{topic.id}/{topic.slug}"
        counts.append(statements_for(client, count_queries, url, 'class="gallery"', 5 if pictures else 0))
    without, with_pictures = counts
    assert with_pictures == without


def test_home_page_runs_fixed_statements(client: FlaskClient, count_queries: Callable, reader: Member) -> None:
    """The home page runs the same few statements for 3 groups as for 33, each with a latest topic."""
    counts = []
    groups = 0
    for size in (3, 30):
        for _ in range(size):
            make_topic(group=make_group(members=(reader,)))
        groups += size
        counts.append(statements_for(client, count_queries, "/", '<li class="card', groups))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


def test_profile_page_runs_fixed_statements(client: FlaskClient, count_queries: Callable, reader: Member) -> None:
    """The profile page runs the same few statements for a member with 3 posts as for one with 25."""
    counts = []
    for size in (3, 25):
        writer = member_with_posts(size)
        rows = min(size, RECENT_POSTS_ON_PROFILE)
        counts.append(
            statements_for(client, count_queries, f"/u/{quote(writer.display_name)}", '<li class="card', rows)
        )
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


def test_search_page_runs_fixed_statements(client: FlaskClient, count_queries: Callable, reader: Member) -> None:
    """The search page runs the same few statements for 3 matching posts as for 25, each by another member."""
    counts = []
    for size, word in ((3, "compression"), (25, "physiotherapy")):
        for _ in range(size):
            make_post(body=f"My {word} routine after surgery, week by week.")
        rows = min(size, RESULTS_PER_PAGE)
        counts.append(statements_for(client, count_queries, f"/search?q={word}", '<li class="search-result"', rows))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


# Signed-in members' pages with unread markers: "new" and "3 new" cost no statement of their own.


def read_every_other(reader: Member, topics: list[Topic]) -> int:
    """The reader read every other topic to its end before one more reply came; how many markers that makes."""
    for topic in topics[::2]:
        db.session.add(TopicRead(member_id=reader.id, topic_id=topic.id, last_post_id=opening_post(topic).id))
    db.session.commit()
    for topic in topics[::2]:
        make_post(topic=topic)
    return len(topics)  # a marker on every topic: "1 new" on the ones read, "new" on the others


def markers_on(client: FlaskClient, url: str) -> int:
    return client.get(url).get_data(as_text=True).count('class="badge badge-new"')


@pytest.mark.parametrize("signed_in", [Role.MEMBER, Role.MODERATOR], ids=["member", "moderator"])
def test_group_page_with_unread_markers_runs_fixed_statements(
    client: FlaskClient, count_queries: Callable, login_as: Callable, signed_in: Role
) -> None:
    """A member's group page marking 3 topics runs the same few statements as one marking 20."""
    reader = make_member(role=signed_in)
    login_as(reader)
    client.get("/guidelines")
    counts = []
    for size in (3, 20):
        group = make_group(members=(reader,))
        marked = read_every_other(reader, [make_topic(group=group) for _ in range(size)])
        assert markers_on(client, f"/g/{group.slug}") == marked
        counts.append(statements_for(client, count_queries, f"/g/{group.slug}", 'class="topic-row"', size))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


@pytest.mark.parametrize("signed_in", [Role.MEMBER, Role.MODERATOR], ids=["member", "moderator"])
def test_home_page_with_unread_markers_runs_fixed_statements(
    client: FlaskClient, count_queries: Callable, login_as: Callable, signed_in: Role
) -> None:
    """A member's home page with markers on its latest topics runs the same few statements for 3 groups as for 33."""
    reader = make_member(role=signed_in)
    login_as(reader)
    client.get("/guidelines")
    counts, groups = [], 0
    for size in (3, 30):
        read_every_other(reader, [make_topic(group=make_group(members=(reader,))) for _ in range(size)])
        groups += size
        assert markers_on(client, "/") == min(groups, LATEST_TOPICS_ON_HOME)
        counts.append(statements_for(client, count_queries, "/", '<li class="card', groups))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


@pytest.mark.parametrize("signed_in", [Role.MEMBER, Role.MODERATOR], ids=["member", "moderator"])
def test_topic_page_moving_the_read_position_runs_fixed_statements(
    app: Flask, client: FlaskClient, count_queries: Callable, login_as: Callable, signed_in: Role
) -> None:
    """Reading on in a topic of 25 posts and in one of 2,000 (the position moves) runs the same few statements."""
    reader = make_member(role=signed_in)
    login_as(reader)
    client.get("/guidelines")
    per_page = app.config["POSTS_PER_PAGE"]
    counts = []
    for size in (25, 2000):
        topic = topic_with_posts(3, reader)
        add_posts(topic, make_member(), size - 3)
        client.get(f"/t/{topic.id}/{topic.slug}")  # page 1 read: the position exists and moves on below
        page, rows = page_and_rows("last", size, per_page)
        counts.append(
            statements_for(client, count_queries, f"/t/{topic.id}/{topic.slug}?page={page}", '<li class="post', rows)
        )
        assert position(reader, topic) == last_post_id(topic)
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


def test_unread_page_runs_fixed_statements(client: FlaskClient, count_queries: Callable, login_as: Callable) -> None:
    """/unread runs the same few statements listing 3 topics as listing a full page of 30 (of 33)."""
    reader = make_member()
    login_as(reader)
    client.get("/guidelines")
    counts, listed = [], 0
    for size in (3, 30):
        read_every_other(reader, [make_topic(group=make_group(members=(reader,))) for _ in range(size)])
        listed += size
        counts.append(statements_for(client, count_queries, "/unread", 'class="topic-row"', min(listed, 30)))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS
