"""The unanswered list: published topics with no visible reply from anyone but their author after N hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.models import ContentStatus, Role, Setting
from tests.factories import make_group, make_member, make_topic, member_for, reply_at
from tests.support import browser, page_text, topic_titles

NOW = datetime.now(UTC)


def waiting(title: str, hours: float, **fields: object):  # noqa: ANN201
    """A topic started `hours` ago."""
    topic = make_topic(title=title, **fields)
    topic.created_at = NOW - timedelta(hours=hours)
    db.session.commit()
    return topic


@pytest.fixture
def mentor(app: Flask):  # noqa: ANN201
    return browser(app, make_member(role=Role.MENTOR))


def test_lists_topics_without_replies_oldest_first(app: Flask, mentor) -> None:  # noqa: ANN001
    """Topics older than the 24-hour default with no reply are listed, the longest-waiting first."""
    waiting("Two days", 48)
    waiting("Three days", 72)
    waiting("One hour", 1)
    assert topic_titles(mentor.get("/staff/unanswered")) == ["Three days", "Two days"]


@pytest.mark.parametrize(
    ("reply", "listed"),
    [
        ("from someone else", False),
        ("from the author only", True),
        ("hidden", True),
        ("pending review", True),
        ("deleted", True),
    ],
)
def test_only_a_visible_reply_from_someone_else_answers(app: Flask, mentor, reply: str, listed: bool) -> None:  # noqa: ANN001
    """A topic counts as answered only by a published reply from someone other than its author."""
    topic = waiting("Waiting", 30)
    statuses = {"hidden": ContentStatus.HIDDEN, "pending review": ContentStatus.PENDING}
    statuses["deleted"] = ContentStatus.DELETED
    author = topic.author if reply == "from the author only" else make_member()
    reply_at(topic, author, NOW - timedelta(hours=2), status=statuses.get(reply, ContentStatus.VISIBLE))
    assert (topic_titles(mentor.get("/staff/unanswered")) == ["Waiting"]) is listed


@pytest.mark.parametrize("case", ["locked topic", "archived group", "hidden topic", "pending topic"])
def test_topics_nobody_can_answer_are_left_out(app: Flask, mentor, case: str) -> None:  # noqa: ANN001
    """Locked topics, archived groups' topics and unpublished topics are not on the list."""
    fields = {
        "locked topic": {"locked": True},
        "archived group": {"group": make_group(archived=True)},
        "hidden topic": {"status": ContentStatus.HIDDEN},
        "pending topic": {"status": ContentStatus.PENDING},
    }[case]
    waiting("Not answerable", 48, **fields)
    assert topic_titles(mentor.get("/staff/unanswered")) == []


def test_staff_change_the_hours_setting(app: Flask) -> None:
    """Setting 2 hours lists a topic waiting 3 hours; the change is stored as a setting."""
    waiting("Three hours", 3)
    staff = browser(app, make_member(role=Role.STAFF))
    assert topic_titles(staff.get("/staff/unanswered")) == []
    assert staff.post_form("/staff/unanswered/setting", {"hours": "2"}).status_code == 302
    assert db.session.get(Setting, "unanswered_after_hours").value == "2"
    assert topic_titles(staff.get("/staff/unanswered")) == ["Three hours"]


@pytest.mark.parametrize("value", ["0", "721", "two", "", "²", "-3"])
def test_bad_hours_are_refused_with_a_message(app: Flask, value: str) -> None:
    """Hours outside 1-720, or not a whole number, are refused with the range and nothing is stored."""
    staff = browser(app, make_member(role=Role.STAFF))
    response = staff.post_form("/staff/unanswered/setting", {"hours": value}, follow_redirects=True)
    assert "Enter a whole number from 1 to 720." in page_text(response)
    assert db.session.get(Setting, "unanswered_after_hours") is None


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 403), ("suspended", 403), ("mentor", 200), ("moderator", 200), ("staff", 200),
     ("admin", 200)],
)  # fmt: skip
def test_who_sees_the_unanswered_list(app: Flask, role: str, status: int) -> None:
    """Mentors, moderators, staff and admins see the list; members are refused; visitors are asked to sign in."""
    assert browser(app, member_for(role)).get("/staff/unanswered").status_code == status


@pytest.mark.parametrize("role", ["mentor", "moderator"])
def test_only_staff_change_the_setting(app: Flask, role: str) -> None:
    """Mentors and moderators read the list but cannot change its hours."""
    client = browser(app, member_for(role))
    assert client.post_form("/staff/unanswered/setting", {"hours": "2"}).status_code == 403
    assert "Save" not in page_text(client.get("/staff/unanswered"))
