"""DATABASE_REPLICA_URL: read-only page views read from the replica; POSTs and every write go to the primary.

The "replica" is a second database with the same schema and different content (a second PostgreSQL database when
TEST_DATABASE_URL is PostgreSQL, a second SQLite file otherwise), so each page shows which database it read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.database.replica import STICKY_KEY, replica_engine
from app.extensions import db
from app.models import LoginSession, Member, Notification, Post
from app.models.base import utcnow
from app.services.common.audit import notify
from tests.conftest import _empty_all_tables
from tests.factories import make_group, make_member, make_topic


def _replica_url(primary_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = make_url(primary_url)
    if url.get_backend_name() != "postgresql":
        return f"sqlite:///{tmp_path_factory.mktemp('replica') / 'replica.sqlite3'}"
    name = f"{url.database}_replica"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def replica_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app whose primary database is the replica: used to give the replica content of its own."""
    replica = create_app("testing", {"SQLALCHEMY_DATABASE_URI": _replica_url(database_url, tmp_path_factory)})
    with replica.app_context():
        db.drop_all()
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    yield replica


@pytest.fixture
def app_overrides(replica_app: Flask) -> dict:
    return {"DATABASE_REPLICA_URL": replica_app.config["SQLALCHEMY_DATABASE_URI"]}


@pytest.fixture
def on_replica(app: Flask, replica_app: Flask) -> Iterator:
    """`with on_replica():` runs the block's database work (factories included) on the replica."""

    @contextmanager
    def _on_replica() -> Iterator[None]:
        with replica_app.app_context():
            yield
            db.session.remove()

    yield _on_replica
    db.session.remove()
    replica_engine().dispose()  # the app under test lets go of the replica before it is emptied
    with replica_app.app_context():
        _empty_all_tables()
        db.engine.dispose()


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_visitor_page_reads_from_replica(client, on_replica):
    """A visitor's home page lists the replica's groups, not the primary's."""
    make_group(name="Only on the primary")
    with on_replica():
        make_group(name="Only on the replica")
    page = client.get("/").get_data(as_text=True)
    assert "Only on the replica" in page
    assert "Only on the primary" not in page


def test_reply_is_written_to_primary_only(client, login_through_form, on_replica):
    """A reply (a POST) reads and writes the primary; the replica gets nothing."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    login_through_form(member)
    response = client.post_form(f"/t/{topic.id}/reply", {"body": "Written to the primary"})
    assert response.status_code == 302
    assert db.session.scalar(select(Post.id).where(Post.raw == "Written to the primary")) is not None
    with on_replica():
        assert _count(Post) == 0
        assert _count(LoginSession) == 0


def test_browser_reads_primary_right_after_posting(client, login_through_form, on_replica):
    """For a few seconds after a POST, that browser's pages read the primary, so it sees its own reply."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    login_through_form(member)
    response = client.post_form(f"/t/{topic.id}/reply", {"body": "Seen by its author at once"})
    assert "Seen by its author at once" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_signed_in_page_view_reads_replica(client, login_through_form, on_replica):
    """A signed-in member's page view, once the few seconds after signing in have passed, reads the replica."""
    login_through_form(make_member())
    with on_replica():
        make_group(name="Only on the replica")
    with client.session_transaction() as browser:
        browser.pop(STICKY_KEY)
    assert "Only on the replica" in client.get("/").get_data(as_text=True)


def test_last_seen_is_recorded_on_primary(client, login_through_form, on_replica):
    """The session's last-used time, written during a GET, goes to the primary."""
    member = make_member()
    login_through_form(member)
    an_hour_ago = utcnow() - timedelta(hours=1)
    db.session.execute(LoginSession.__table__.update().values(last_used_at=an_hour_ago))
    db.session.commit()
    with client.session_transaction() as browser:
        browser.pop(STICKY_KEY)
    assert client.get("/").status_code == 200
    assert db.session.scalar(select(LoginSession.last_used_at)) > an_hour_ago
    assert db.session.get(Member, member.id).last_seen_at > an_hour_ago
    with on_replica():
        assert _count(LoginSession) == 0


def test_page_that_writes_on_get_uses_primary(client, login_through_form, on_replica):
    """Opening a notification (a GET that marks it read) finds it on the primary and marks it there."""
    member = make_member()
    notify(member.id, "reply", "Someone replied", "/")
    db.session.commit()
    notification_id = db.session.scalar(select(Notification.id))
    login_through_form(member)
    response = client.get(f"/notifications/{notification_id}/open")
    assert response.status_code == 302
    assert db.session.get(Notification, notification_id).read_at is not None


def test_no_replica_configured_reads_primary(database_url):
    """Without DATABASE_REPLICA_URL there is one engine and pages read the primary."""
    plain = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with plain.app_context():
        assert replica_engine() is None
        make_group(name="Read from the primary")
        try:
            assert "Read from the primary" in plain.test_client().get("/").get_data(as_text=True)
        finally:
            _empty_all_tables()
            db.engine.dispose()
