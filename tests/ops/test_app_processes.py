"""Kindred processes are stateless: two gunicorn processes on one PostgreSQL and one Redis act as one site.

Needs TEST_DATABASE_URL (PostgreSQL) and a Redis server (REDIS_URL, default redis://127.0.0.1:6379/0).
"""

from __future__ import annotations

import os
import random
import secrets
from collections.abc import Iterator

import pytest
import redis
from sqlalchemy.engine import make_url

from tests.factories import PASSWORD, make_group, make_member, make_topic
from tests.live_server import AppServer, Browser

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _skip_reason(database_url: str) -> str | None:
    if make_url(database_url).get_backend_name() != "postgresql":
        return "two app processes need a shared PostgreSQL database: set TEST_DATABASE_URL"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return f"two app processes need a Redis server at {REDIS_URL}"
    return None


@pytest.fixture(scope="module")
def servers(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, AppServer]]:
    """Two single-worker gunicorn processes with the same settings, started side by side."""
    reason = _skip_reason(database_url)
    if reason:
        pytest.skip(reason)
    env = {
        "KINDRED_ENV": "development",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "KINDRED_RATELIMIT": "1",
        "MAIL_BACKEND": "smtp",  # nothing is sent: mail waits in the outbox table
    }
    logs = tmp_path_factory.mktemp("gunicorn")
    pair = (AppServer(env, log_path=logs / "a.log"), AppServer(env, log_path=logs / "b.log"))
    try:
        for server in pair:
            server.launch()
        for server in pair:
            server.wait_until_ready()
        yield pair
    finally:
        for server in pair:
            server.request_stop()
        for server in pair:
            server.stop()


def _loopback_address() -> str:
    """A loopback address of its own, so per-address limits left by other runs do not count."""
    return f"127.{random.randrange(1, 255)}.{random.randrange(0, 256)}.{random.randrange(2, 255)}"  # noqa: S311


def test_post_written_through_one_process_is_read_through_the_other(app, servers):
    """A reply posted through process A is on the topic page served by process B."""
    first, second = servers
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)), title="Shared between processes")
    writer = Browser(first.port)
    writer.sign_in(member.email, PASSWORD)
    body = f"Written through A {secrets.token_hex(4)}"
    assert writer.post_form(f"/t/{topic.id}/reply", {"body": body}).status == 302
    assert body in Browser(second.port).get(f"/t/{topic.id}/{topic.slug}").text


def test_signed_in_through_one_process_is_signed_in_on_the_other(app, servers):
    """The session cookie from process A signs the same member in on process B."""
    first, second = servers
    member = make_member(display_name="Across Processes")
    browser = Browser(first.port)
    browser.sign_in(member.email, PASSWORD)
    browser.port = second.port
    assert browser.get("/login").status == 302  # signed-in members are sent on from the sign-in page
    assert "Across Processes" in browser.get("/").text


def _attempts_until_limited(ports: list[int]) -> int:
    """Sign-in attempts from one fresh address, taking turns over `ports`, until one answers 429."""
    address = _loopback_address()
    browsers = [Browser(port, source_ip=address) for port in ports]
    tokens = [browser.csrf_token() for browser in browsers]
    for attempt in range(1, 61):
        turn = attempt % len(browsers)
        # An empty form: the per-address limit counts it, and no password hashing slows the test down.
        if browsers[turn].post_form("/login", {"email": "", "password": ""}, token=tokens[turn]).status == 429:
            return attempt
    raise AssertionError("no rate limit within 60 sign-in attempts")


def test_rate_limit_counts_across_processes(app, servers):
    """Sign-in attempts from one address are limited as a sum over both processes, not per process."""
    first, second = servers
    alone = _attempts_until_limited([first.port])
    shared = _attempts_until_limited([first.port, second.port])
    assert alone > 2
    assert shared == alone  # with a counter per process, both would have to fill up: about twice as many
