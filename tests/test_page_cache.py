"""Visitors' pages are rendered once and reused until something is written (app/page_cache.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import update

from app.extensions import db
from app.models import Group, Topic
from app.page_cache import PageCache
from tests.conftest import FormClient, make_engine
from tests.factories import PASSWORD, make_member, make_post, make_topic


@pytest.fixture
def app_overrides(tmp_path: Path) -> dict:
    # A version file of this test's own: other test runs on the machine must not invalidate its cache.
    return {"PAGE_CACHE": True, "PAGE_CACHE_VERSION_FILE": str(tmp_path / "content-version")}


@pytest.fixture
def topic() -> Topic:
    return make_topic(title="Pacing after chemo")


def topic_url(topic: Topic) -> str:
    return f"/t/{topic.id}/{topic.slug}"


@pytest.fixture
def url(topic: Topic) -> str:
    """The topic's address, read once (the test's own reads of the topic must stay out of the counts)."""
    return topic_url(topic)


def test_second_visit_runs_no_sql(client: FormClient, count_queries: Callable, url: str) -> None:
    """A visitor's second GET of a topic is answered from the cache, without a single SQL statement."""
    first = client.get(url)
    with count_queries() as counter:
        second = client.get(url)
    assert second.status_code == 200 and second.data == first.data
    assert len(counter) == 0, counter.statements


def test_a_reply_shows_at_once(client: FormClient, topic: Topic) -> None:
    """A new reply drops the cached page: the next visitor sees it."""
    client.get(topic_url(topic))
    make_post(topic=topic, body="Walking every morning helped me.")
    assert "Walking every morning helped me." in client.get(topic_url(topic)).get_data(as_text=True)


def test_a_bulk_update_drops_cached_pages(client: FormClient, topic: Topic) -> None:
    """A write made with an UPDATE statement (not through the ORM's objects) drops cached pages too."""
    client.get("/")
    db.session.execute(update(Group).where(Group.id == topic.group_id).values(name="Renamed by staff"))
    db.session.commit()
    assert "Renamed by staff" in client.get("/").get_data(as_text=True)


def test_rolled_back_write_keeps_the_cache(client: FormClient, count_queries: Callable, topic: Topic, url: str) -> None:
    """A change that was rolled back wrote nothing, so cached pages stay valid."""
    client.get(url)
    topic.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    with count_queries() as counter:
        client.get(url)
    assert len(counter) == 0


def test_members_never_get_the_visitors_page(client: FormClient, login_as: Callable, topic: Topic) -> None:
    """A signed-in member gets a page rendered for them (with their name), not the cached visitor's page."""
    client.get(topic_url(topic))
    login_as(make_member(display_name="Marguerite"))
    page = client.get(topic_url(topic))
    assert "Marguerite" in page.get_data(as_text=True)
    assert "ETag" not in page.headers


def test_a_flash_message_is_never_shared(client: FormClient, login_as: Callable) -> None:
    """The home page a member sees after signing out, with its "signed out" message, is not served to others."""
    login_as(make_member())
    client.post_form("/logout")
    assert "You are signed out" in client.get("/").get_data(as_text=True)
    stranger = FormClient(client.application, client.response_wrapper)
    assert "You are signed out" not in stranger.get("/").get_data(as_text=True)


def test_redis_down_still_serves_pages(app: Flask, client: FormClient, url: str) -> None:
    """With Redis unreachable the cache steps aside: visitors get freshly rendered pages, not errors."""
    cache = app.extensions["kindred_page_cache"]
    redis = pytest.importorskip("redis")
    cache.redis = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_timeout=0.2)  # nothing listens there
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    make_post(topic=db.session.get(Topic, int(url.split("/")[2])), body="Still posting without Redis.")
    assert "Still posting without Redis." in client.get(url).get_data(as_text=True)
    cache.redis.close()


def test_unchanged_page_answers_304(client: FormClient, topic: Topic) -> None:
    """A visitor whose copy is current gets 304 Not Modified and no body."""
    etag = client.get(topic_url(topic)).headers["ETag"]
    again = client.get(topic_url(topic), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_changed_page_answers_200(client: FormClient, topic: Topic) -> None:
    """After a write, the old ETag no longer matches and the visitor gets the new page."""
    etag = client.get(topic_url(topic)).headers["ETag"]
    make_post(topic=topic, body="A reply that changes the page.")
    again = client.get(topic_url(topic), headers={"If-None-Match": etag})
    assert again.status_code == 200 and "A reply that changes the page." in again.get_data(as_text=True)


def test_cached_page_keeps_security_headers(client: FormClient, topic: Topic) -> None:
    """A page served from the cache still carries the Content-Security-Policy and asks to be revalidated."""
    client.get(topic_url(topic))
    cached = client.get(topic_url(topic))
    assert "frame-ancestors 'none'" in cached.headers["Content-Security-Policy"]
    assert cached.headers["Cache-Control"] == "no-cache"
    assert "Cookie" in cached.headers["Vary"]


def test_signing_in_keeps_the_cache(client: FormClient, count_queries: Callable, url: str) -> None:
    """Login sessions are no visitor's business: a member signing in leaves cached pages valid."""
    visitor = FormClient(client.application, client.response_wrapper)
    member = make_member()
    email = member.email
    visitor.get(url)
    client.post_form("/login", {"email": email, "password": PASSWORD})
    with count_queries() as counter:
        visitor.get(url)
    assert len(counter) == 0


def test_old_entries_expire(app: Flask, client: FormClient, count_queries: Callable, url: str) -> None:
    """With PAGE_CACHE_SECONDS at 0 every visit renders the page again ("3 minutes ago" moves on)."""
    app.extensions["kindred_page_cache"].max_age = 0
    client.get(url)
    with count_queries() as counter:
        client.get(url)
    assert len(counter) > 0


def test_a_write_in_another_process_drops_this_cache(app: Flask, client: FormClient, topic: Topic, url: str) -> None:
    """A write committed by another process (its own connection, its own cache object) shows here at once."""
    client.get(url)
    engine = make_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as other_process:
        other_process.execute(update(Topic).where(Topic.id == topic.id).values(title="Retitled elsewhere"))
    engine.dispose()
    PageCache(app).bump()  # what that process's commit hook does
    assert "Retitled elsewhere" in client.get(url).get_data(as_text=True)


def test_redis_holds_the_version_when_configured(app: Flask) -> None:
    """With REDIS_URL set, the version is a Redis counter: a bump by one app server is seen by another."""
    redis = pytest.importorskip("redis")
    config = {**app.config, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    here, there = PageCache(_Config(config)), PageCache(_Config(config))
    try:
        here.redis.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    before = here.version()
    there.bump()
    after = here.version()
    here.redis.close()
    there.redis.close()
    assert after != before


class _Config:
    """Just what PageCache reads from an app: its configuration and instance folder."""

    def __init__(self, config: dict) -> None:
        self.config, self.instance_path = config, "/nonexistent"
