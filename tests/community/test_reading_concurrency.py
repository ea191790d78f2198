"""Read positions written by requests at the same moment (two tabs, a reload, "Mark all as read" meanwhile): none
fails, one row per member and topic remains, and it holds the furthest position."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import TopicRead
from tests.community.reading_support import add_posts, last_post_id, position
from tests.factories import group_of, make_member, make_topic
from tests.served import served
from tests.support import browser

COPIES = 6


def test_simultaneous_first_views_leave_one_position(app: Flask) -> None:
    """Several tabs opening a topic for the first time at once store one row, at the page's last post."""
    ann = make_member()
    topic = make_topic(group=group_of(ann))
    add_posts(topic, make_member(), 5)
    with served(app) as server:
        statuses = server.get_at_once(browser(server.app, ann), [f"/t/{topic.id}/{topic.slug}"] * COPIES)
    assert server.errors == [] and statuses == [200] * COPIES
    db.session.expire_all()
    count = db.session.scalar(select(func.count()).select_from(TopicRead).where(TopicRead.member_id == ann.id))
    assert count == 1 and position(ann, topic) == last_post_id(topic)


def test_pages_read_at_once_end_at_the_furthest(app: Flask) -> None:
    """The first and the last page of a long topic read at the same moment, repeatedly: the last page's post wins."""
    ann = make_member()
    topic = make_topic(group=group_of(ann))
    add_posts(topic, make_member(), 3 * app.config["POSTS_PER_PAGE"])
    url = f"/t/{topic.id}/{topic.slug}"
    with served(app) as server:
        statuses = server.get_at_once(browser(server.app, ann), [f"{url}?page=4", url, f"{url}?page=2"] * 2)
    assert server.errors == [] and all(status == 200 for status in statuses)
    db.session.expire_all()
    assert position(ann, topic) == last_post_id(topic)
