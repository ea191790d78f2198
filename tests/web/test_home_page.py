"""The home page lists the latest active topics the reader may see, beside the groups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from app.main.routes import LATEST_TOPICS_ON_HOME
from app.models import ContentStatus, GroupVisibility, Role, Topic
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_topic
from tests.support import browser, page_cache_on, soup

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def latest_titles(client: FormClient) -> list[str]:
    return [a.get_text() for a in soup(client.get("/")).select(".latest-topics .topic-title")]


def active_at(minutes: int, **fields: object) -> Topic:
    """A topic last active `minutes` after START."""
    return make_topic(last_activity_at=START + timedelta(minutes=minutes), **fields)  # type: ignore[arg-type]


def test_latest_topics_come_newest_first_across_groups(client: FormClient) -> None:
    """The most recently active topics of every group, newest first, up to the page's limit."""
    groups = [make_group() for _ in range(4)]
    # One busy group holds most of the newest topics (even minutes); the quiet ones' are older and odd.
    topics = [active_at(minute, group=groups[0], title=f"Busy {minute}") for minute in range(100, 124, 2)]
    quiet = enumerate(range(91, 112, 4))
    topics += [active_at(minute, group=groups[n % 3 + 1], title=f"Quiet {minute}") for n, minute in quiet]
    newest_first = sorted(topics, key=lambda t: t.last_activity_at, reverse=True)
    assert latest_titles(client) == [t.title for t in newest_first][:LATEST_TOPICS_ON_HOME]


def test_no_topics_no_latest_section(client: FormClient) -> None:
    """A community without topics shows no empty "latest" heading."""
    make_group()
    assert soup(client.get("/")).select("#latest-heading") == []


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MODERATOR, Role.STAFF, Role.ADMIN])
def test_unpublished_topics_are_never_listed(app: Flask, role: Role | None) -> None:
    """Pending, rejected, hidden and deleted topics stay off the home page, even for their author and the team."""
    reader = make_member(role=role) if role else None
    group = make_group(members=(reader,) if reader else ())
    active_at(1, group=group, title="Published")
    hidden = (ContentStatus.PENDING, ContentStatus.REJECTED, ContentStatus.HIDDEN, ContentStatus.DELETED)
    for n, status in enumerate(hidden):
        active_at(10 + n, group=group, author=reader or make_member(), title=f"Not published {status}", status=status)
    assert latest_titles(browser(app, reader)) == ["Published"]


def test_members_only_topics_are_listed_for_members_only(app: Flask) -> None:
    """A members-only group's topics appear for signed-in members, never for visitors."""
    closed = make_group(visibility=GroupVisibility.MEMBERS)
    active_at(2, group=closed, title="Behind the door")
    active_at(1, title="In the open")
    assert latest_titles(browser(app)) == ["In the open"]
    assert latest_titles(browser(app, make_member())) == ["Behind the door", "In the open"]


class TestWithPageCache:
    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict:
        return page_cache_on(tmp_path)

    def test_each_audience_gets_its_own_list(self, app: Flask) -> None:
        """A member's home page, cached, never reaches a visitor, nor a visitor's reaches a member."""
        active_at(2, group=make_group(visibility=GroupVisibility.MEMBERS), title="Behind the door")
        active_at(1, title="In the open")
        member, visitor = browser(app, make_member()), browser(app)
        for _ in range(2):  # the second round is answered from the cache
            assert latest_titles(member) == ["Behind the door", "In the open"]
            assert latest_titles(visitor) == ["In the open"]

    def test_a_new_topic_shows_at_once(self, app: Flask) -> None:
        """A topic started after the page was cached is listed on the next visit."""
        visitor = browser(app)
        active_at(1, title="First")
        assert latest_titles(visitor) == ["First"]
        active_at(2, title="Second")
        assert latest_titles(visitor) == ["Second", "First"]
