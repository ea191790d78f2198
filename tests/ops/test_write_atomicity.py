"""A write fails between two of its statements: nothing of it remains, and every counter equals the real count.

The failure is injected at the database driver (the driver's own OperationalError, as when a connection drops), just
before a counter UPDATE that follows the row's INSERT. Runs on SQLite and on PostgreSQL (TEST_DATABASE_URL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Group, HelpfulMark, Member, Post, Topic
from app.services.common.integrity import counter_mismatches
from tests.factories import make_group, make_member, make_post, make_topic

# These tests take the database away on purpose: the 503 answers are what they check.
pytestmark = pytest.mark.server_error


@contextmanager
def failing_before(statement_start: str) -> Iterator[list[str]]:
    """Make the first statement starting with `statement_start` fail as if the connection dropped."""
    seen: list[str] = []
    dbapi = db.engine.dialect.dbapi

    def fail(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)
        if statement.startswith(statement_start) and not any(s.startswith("INJECTED") for s in seen):
            seen.append("INJECTED")
            raise dbapi.OperationalError("injected failure: server closed the connection unexpectedly")

    event.listen(db.engine, "before_cursor_execute", fail)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", fail)


def _ran_before_failure(seen: list[str], statement_start: str) -> bool:
    """Did a statement starting so run before the injected failure (so the failure split the write)?"""
    return any(s.startswith(statement_start) for s in seen[: seen.index("INJECTED")])


def test_reply_failing_at_its_counter_update_leaves_nothing(client, login_as):
    """A reply whose topic counter UPDATE fails answers 503 and leaves no post and no changed counter."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    login_as(member)
    token = client.csrf_token()
    with failing_before("UPDATE topics SET reply_count") as seen:
        response = client.post(f"/t/{topic.id}/reply", data={"csrf_token": token, "body": "Half a reply"})
    assert response.status_code == 503
    assert _ran_before_failure(seen, "INSERT INTO posts")  # the failure really came between two statements
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.raw == "Half a reply")) == 0
    assert db.session.get(Topic, topic.id).reply_count == 0
    assert db.session.get(Group, topic.group_id).post_count == 1
    assert counter_mismatches() == []


def test_helpful_mark_failing_at_its_second_counter_leaves_nothing(client, login_as):
    """A helpful mark whose author counter UPDATE fails leaves no mark and no changed post counter."""
    reader = make_member()
    reply = make_post(topic=make_topic(group=make_group(members=(reader,))))
    login_as(reader)
    token = client.csrf_token()
    with failing_before("UPDATE members SET helpful_received") as seen:
        response = client.post(f"/p/{reply.id}/helpful", data={"csrf_token": token})
    assert response.status_code == 503
    assert _ran_before_failure(seen, "UPDATE posts SET helpful_count")
    assert db.session.scalar(select(func.count()).select_from(HelpfulMark)) == 0
    assert db.session.get(Post, reply.id).helpful_count == 0
    assert db.session.get(Member, reply.author_id).helpful_received == 0
    assert counter_mismatches() == []


@pytest.mark.parametrize("statement", ["UPDATE topics SET reply_count", "UPDATE groups SET post_count"])
def test_site_works_after_a_failed_write(client, login_as, statement):
    """After the failed write the same browser posts the reply again and it counts once."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    login_as(member)
    token = client.csrf_token()
    with failing_before(statement):
        assert client.post(f"/t/{topic.id}/reply", data={"csrf_token": token, "body": "Try again"}).status_code == 503
    assert client.post_form(f"/t/{topic.id}/reply", {"body": "Try again"}).status_code == 302
    assert db.session.get(Topic, topic.id).reply_count == 1
    assert counter_mismatches() == []


def test_check_counters_reports_a_wrong_counter(runner):
    """`flask check-counters` names a counter that differs from the real count, and fails."""
    topic = make_topic()
    make_post(topic=topic)
    topic.reply_count = 5
    db.session.commit()
    result = runner.invoke(args=["check-counters"])
    assert result.exit_code == 1
    assert f"topics.reply_count of #{topic.id} is 5 but the real count is 1" in result.output


def test_check_counters_passes_on_consistent_data(runner):
    """`flask check-counters` succeeds when every counter equals the real count."""
    reply = make_post()
    db.session.add(HelpfulMark(post_id=reply.id, member_id=make_member().id, receiver_id=reply.author_id))
    reply.helpful_count += 1
    reply.author.helpful_received += 1
    db.session.commit()
    result = runner.invoke(args=["check-counters"])
    assert result.exit_code == 0, result.output
    assert "All counters equal the real counts." in result.output
