"""Recording what a member read keeps everyone's cached pages (app/web/page_cache.py): read positions move no
version on, and the member's own pages depend on their read stamp, so their markers are still right for them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.models import GroupMembership, Member, Topic
from app.web.page_cache import MEMBERS, VISITORS
from tests.community.reading_support import position
from tests.conftest import FormClient, sign_in
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import page_cache_on


@pytest.fixture
def app_overrides(tmp_path: Path) -> dict:
    return page_cache_on(tmp_path)


@pytest.fixture
def topic() -> Topic:
    topic = make_topic(group=make_group(), title="Pacing after chemo")
    make_post(topic=topic)
    return topic


def url(topic: Topic) -> str:
    return f"/t/{topic.id}/{topic.slug}"


def member_of(topic: Topic) -> Member:
    member = make_member()
    db.session.add(GroupMembership(member_id=member.id, group_id=topic.group_id))
    db.session.commit()
    return member


def another_browser(client: FormClient, member: Member | None = None) -> FormClient:
    browser = FormClient(client.application, client.response_wrapper)
    if member is not None:
        sign_in(browser, member)
    return browser


def settled(browser: FormClient, path: str) -> str:
    """Visit twice: a first page after signing in also starts the session's CSRF token, so the second is kept."""
    browser.get(path)
    return browser.get(path).get_data(as_text=True)


def test_a_member_reading_keeps_a_visitors_page_cached(
    client: FormClient, login_as: Callable, count_queries: Callable, topic: Topic
) -> None:
    """A visitor's cached topic page is still answered without SQL after a member read that topic."""
    member = member_of(topic)
    login_as(member)  # everything written before the visitor's page is kept: only the reading comes after
    visitor = another_browser(client)
    visitor.get(url(topic))
    client.get(url(topic))
    assert position(member, topic) is not None
    with count_queries() as counter:
        again = visitor.get(url(topic))
    assert again.status_code == 200 and len(counter) == 0, counter.statements


def test_a_member_reading_keeps_another_members_pages_cached(
    client: FormClient, login_as: Callable, count_queries: Callable, topic: Topic
) -> None:
    """Another member's cached home page is still answered without SQL after a member read a topic."""
    reader = member_of(topic)
    login_as(reader)
    other = another_browser(client, member_of(topic))
    settled(other, "/")
    client.get(url(topic))
    assert position(reader, topic) is not None
    with count_queries() as counter:
        other.get("/")
    assert len(counter) == 0, counter.statements


def test_reading_moves_no_version_on(app: Flask, client: FormClient, login_as: Callable, topic: Topic) -> None:
    """Recording a read position leaves both audiences' versions where they were."""
    cache = app.extensions["kindred_page_cache"]
    login_as(member_of(topic))
    before = cache.version(VISITORS), cache.version(MEMBERS)
    client.get(url(topic))
    assert (cache.version(VISITORS), cache.version(MEMBERS)) == before


def test_the_readers_own_markers_follow_their_reading(client: FormClient, login_as: Callable, topic: Topic) -> None:
    """A member's cached group page with "new" is not reused once they have read the topic: the marker goes."""
    login_as(member_of(topic))
    group_page = f"/g/{topic.group.slug}"
    assert 'class="badge badge-new"' in settled(client, group_page)
    client.get(url(topic))
    assert 'class="badge badge-new"' not in client.get(group_page).get_data(as_text=True)
