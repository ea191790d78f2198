"""Read positions: viewing a topic page records the newest post shown, only ever forward, and `?unread=1` leads to
the first post the member has not seen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import delete

from app.extensions import db
from app.models import Member, Post, Topic
from app.services.community.reading import record_read
from tests.community.reading_support import add_posts, position, reads_of
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_topic

LONG = 2000


@pytest.fixture
def reader(login_as: Callable) -> Member:
    member = make_member(display_name="Reader")
    login_as(member)
    return member


@pytest.fixture
def long_topic() -> tuple[Topic, list[int]]:
    """A topic of 2,000 posts (the opening one and 1,999 replies), and their ids in order."""
    topic = make_topic(group=make_group())
    return topic, add_posts(topic, make_member(), LONG - 1)


def url(topic: Topic, **args: object) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/t/{topic.id}/{topic.slug}" + (f"?{query}" if query else "")


def test_a_visit_records_the_newest_post_on_the_page(
    app: Flask, client: FormClient, reader: Member, long_topic: tuple[Topic, list[int]]
) -> None:
    """Page 3 of a 2,000-post topic counts its posts as read: the position is the last post on that page."""
    topic, ids = long_topic
    per_page = app.config["POSTS_PER_PAGE"]
    assert client.get(url(topic, page=3)).status_code == 200
    assert position(reader, topic) == ids[3 * per_page - 1]


def test_an_earlier_page_never_moves_the_position_back(
    app: Flask, client: FormClient, reader: Member, long_topic: tuple[Topic, list[int]]
) -> None:
    """Reading the last page and then the first leaves the position at the topic's last post."""
    topic, ids = long_topic
    last_page = -(-LONG // app.config["POSTS_PER_PAGE"])
    client.get(url(topic, page=last_page))
    client.get(url(topic))
    assert position(reader, topic) == ids[-1]


def test_the_helpful_order_records_nothing(client: FormClient, reader: Member) -> None:
    """Posts read most helpful first are not a stretch of the topic in order: no position is recorded."""
    topic = make_topic()
    add_posts(topic, make_member(), 3)
    client.get(url(topic, order="helpful"))
    assert position(reader, topic) is None


def test_visitors_leave_no_position(client: FormClient) -> None:
    """A visitor reading a topic writes nothing."""
    topic = make_topic()
    reader = make_member()
    client.get(url(topic))
    assert reads_of(reader) == 0


def test_recording_twice_at_once_keeps_the_furthest(app: Flask) -> None:
    """Two records racing (an older and a newer page) end at the newer position, whatever their order."""
    topic, member = make_topic(), make_member()
    ids = add_posts(topic, make_member(), 5)
    assert record_read(member, topic, ids[3]) is True
    assert record_read(member, topic, ids[1]) is False
    assert record_read(member, topic, ids[3]) is False
    assert position(member, topic) == ids[3]


def test_unread_link_leads_to_the_first_unseen_post(
    app: Flask, client: FormClient, reader: Member, long_topic: tuple[Topic, list[int]]
) -> None:
    """After reading two pages, `?unread=1` redirects to page 3 at the anchor of its first post."""
    topic, ids = long_topic
    per_page = app.config["POSTS_PER_PAGE"]
    client.get(url(topic, page=2))
    response = client.get(url(topic, unread=1))
    assert response.status_code == 302
    assert response.location.endswith(f"{url(topic)}?page=3#p{ids[2 * per_page]}")


def test_unread_link_leads_to_the_last_post_when_all_is_read(
    app: Flask, client: FormClient, reader: Member, long_topic: tuple[Topic, list[int]]
) -> None:
    """With everything read, `?unread=1` redirects to the topic's last post on its last page."""
    topic, ids = long_topic
    last_page = -(-LONG // app.config["POSTS_PER_PAGE"])
    client.get(url(topic, page=last_page))
    response = client.get(url(topic, unread=1))
    assert response.location.endswith(f"?page={last_page}#p{ids[-1]}")


def test_unread_link_leads_to_the_start_of_a_topic_never_opened(client: FormClient, reader: Member) -> None:
    """A topic never opened: `?unread=1` redirects to its first page, and records nothing by itself."""
    topic = make_topic()
    response = client.get(url(topic, unread=1))
    assert response.status_code == 302 and response.location.endswith(url(topic))
    assert position(reader, topic) is None


def test_unread_link_for_a_visitor_is_the_topic_page(client: FormClient) -> None:
    """A visitor following an `?unread=1` link simply reads the topic."""
    topic = make_topic(body="Pacing after chemo, day by day.")
    response = client.get(url(topic, unread=1))
    assert response.status_code == 200 and "Pacing after chemo, day by day." in response.get_data(as_text=True)


def test_deleting_a_topic_removes_its_positions(client: FormClient, reader: Member) -> None:
    """Read positions go with their topic (ON DELETE CASCADE)."""
    topic = make_topic()
    client.get(url(topic))
    assert reads_of(reader) == 1
    db.session.execute(delete(Post).where(Post.topic_id == topic.id))
    db.session.execute(delete(Topic).where(Topic.id == topic.id))
    db.session.commit()
    assert reads_of(reader) == 0
