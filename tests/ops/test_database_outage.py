"""The database goes away and comes back (SECURITY item 24), on a private PostgreSQL server the test stops and starts.

While it is down, pages answer the 503 page in the site's layout and /healthz says so; when it is back, the same app
serves pages again without a restart, and a write caught by the outage left nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from app import create_app
from app.extensions import db
from app.models import Post, Topic
from app.services.common.integrity import counter_mismatches
from tests.conftest import FormClient, _empty_all_tables
from tests.factories import make_group, make_member, make_topic
from tests.ops.private_postgres import PrivatePostgres, unavailable_reason

# These tests take the database away on purpose: the 503 answers are what they check.
pytestmark = pytest.mark.server_error


@pytest.fixture(scope="module")
def server() -> Iterator[PrivatePostgres]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"outage tests need a private PostgreSQL server: {reason}")
    private = PrivatePostgres()
    private.start()
    yield private
    private.remove()


@pytest.fixture
def app(server: PrivatePostgres) -> Iterator[Flask]:
    """The app under test, on the private server (overrides conftest's app, so client and login_as use it)."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": server.url})
    app.test_client_class = FormClient
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()
        server.ensure_running()
        _empty_all_tables()
        db.engine.dispose()


def _stop(server: PrivatePostgres, mode: str = "fast") -> None:
    """Stop the server; the test's own session lets go of its connection, as a request's session would."""
    db.session.remove()
    server.stop(mode)


def _assert_503_page(response) -> None:  # noqa: ANN001
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "Kindred is briefly unavailable" in page
    assert 'class="site-header"' in page
    assert "Traceback" not in page


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_pages_answer_503_page_while_database_is_down(client, login_as, server, signed_in):
    """With the server stopped, a page answers the 503 page in the site's layout, for visitors and members."""
    url = f"/g/{make_group(name='Heart conditions').slug}"
    if signed_in:
        login_as(make_member())
    assert client.get(url).status_code == 200  # the pool now holds a connection that will die
    _stop(server)
    _assert_503_page(client.get(url))


def test_healthz_says_unavailable_while_database_is_down(client, server):
    """/healthz answers 503 and names the database while the server is stopped."""
    assert client.get("/healthz").status_code == 200
    _stop(server)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unavailable"}


def test_pages_work_again_when_database_returns(client, server):
    """After the server restarts, the same app serves pages again: dead pooled connections are replaced."""
    make_group(name="Back again")
    assert client.get("/").status_code == 200
    _stop(server)
    assert client.get("/").status_code == 503
    server.start()
    response = client.get("/")
    assert response.status_code == 200
    assert "Back again" in response.get_data(as_text=True)
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}


def _replies(body: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Post).where(Post.raw == body)) or 0


def test_reply_sent_while_database_is_down_leaves_nothing(client, login_as, server):
    """A reply posted during the outage answers 503; once the server is back nothing of it exists."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    topic_id = topic.id
    login_as(member)
    token = client.csrf_token()
    _stop(server)
    _assert_503_page(client.post(f"/t/{topic_id}/reply", data={"csrf_token": token, "body": "Lost in the outage"}))
    server.start()
    assert _replies("Lost in the outage") == 0
    assert db.session.get(Topic, topic_id).reply_count == 0
    assert counter_mismatches() == []


def test_database_crash_in_the_middle_of_a_reply_leaves_nothing(app, client, login_as, server):
    """The server crashes after the reply's INSERT, before its counter UPDATE: no post, no counter changed."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    topic_id = topic.id
    login_as(member)
    token = client.csrf_token()
    db.session.remove()

    def crash(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.startswith("UPDATE topics SET reply_count") and server.running:
            server.stop("immediate")

    event.listen(db.engine, "before_cursor_execute", crash)
    try:
        response = client.post(f"/t/{topic_id}/reply", data={"csrf_token": token, "body": "Cut in half"})
    finally:
        event.remove(db.engine, "before_cursor_execute", crash)
    _assert_503_page(response)
    assert not server.running  # the crash really happened inside the write
    server.start()
    assert _replies("Cut in half") == 0
    assert db.session.get(Topic, topic_id).reply_count == 0
    assert counter_mismatches() == []
