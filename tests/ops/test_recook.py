"""`flask recook`: stored Markdown rendered again with today's renderer, in batches, every kind of cooked text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Announcement,
    AnnouncementTranslation,
    GuidelinesVersion,
    Message,
    Post,
    Resource,
    ResourceKind,
)
from tests.factories import make_conversation, make_member, make_post, make_topic

RAW = "# Old heading\n\n| a |\n|---|\n| 1 |"
OLD_COOKED = "<h1>Old heading</h1>\n<p>| a |</p>"  # what an earlier renderer stored for RAW


def _post() -> Post:
    post = make_post(body=RAW)
    post.cooked = OLD_COOKED
    return post


def _message() -> Message:
    conversation = make_conversation(make_member(), make_member(), bodies=(RAW,))
    message = db.session.scalar(select(Message).where(Message.conversation_id == conversation.id))
    message.cooked = OLD_COOKED
    return message


def _resource() -> Resource:
    resource = Resource(title="Clinic visit", kind=ResourceKind.GUIDE, raw=RAW, cooked=OLD_COOKED)
    db.session.add(resource)
    return resource


def _announcement() -> Announcement:
    announcement = Announcement(raw=RAW, cooked=OLD_COOKED)
    db.session.add(announcement)
    return announcement


def _translation() -> AnnouncementTranslation:
    announcement = Announcement(raw="Hello", cooked="<p>Hello</p>\n")
    db.session.add(announcement)
    db.session.flush()
    translation = AnnouncementTranslation(announcement_id=announcement.id, locale="fr", raw=RAW, cooked=OLD_COOKED)
    db.session.add(translation)
    return translation


def _guidelines() -> GuidelinesVersion:
    version = GuidelinesVersion(number=99, raw=RAW, cooked=OLD_COOKED, change_note="")
    db.session.add(version)
    return version


@pytest.mark.parametrize("stored", [_post, _message, _resource, _announcement, _translation, _guidelines])
def test_recook_renders_every_kind_of_stored_text_again(runner, stored: Callable[[], object]):
    """Posts, messages, library pages, announcements, their translations and guidelines get today's HTML."""
    row = stored()
    db.session.commit()
    result = runner.invoke(args=["recook"])
    assert result.exit_code == 0, result.output
    db.session.refresh(row)
    assert row.cooked.startswith("<h2>Old heading</h2>") and "<table>" in row.cooked


def test_recook_walks_every_batch(runner):
    """With small batches every post is reached, and the output counts them per table."""
    topic = make_topic(body=RAW)
    for _ in range(4):
        make_post(topic=topic, body=RAW)
    db.session.query(Post).update({Post.cooked: OLD_COOKED})
    db.session.commit()
    result = runner.invoke(args=["recook", "--batch-size", "2"])
    assert "posts: 5 read, 5 re-rendered" in result.output
    assert db.session.scalars(select(Post.cooked).where(Post.cooked == OLD_COOKED)).all() == []


def test_recook_again_changes_nothing(runner):
    """A second run finds every text already current and writes nothing."""
    _post()
    db.session.commit()
    runner.invoke(args=["recook"])
    assert "posts: 2 read, 0 re-rendered" in runner.invoke(args=["recook"]).output


def test_recook_keeps_mentions_linked(runner):
    """A post's mention of an existing member stays a link to their profile."""
    make_member(display_name="Ann Lee")
    post = make_post(body="Thanks @[Ann Lee]")
    post.cooked = "<p>Thanks @[Ann Lee]</p>"
    db.session.commit()
    runner.invoke(args=["recook"])
    db.session.refresh(post)
    assert '<a href="/u/Ann%20Lee" class="mention">@Ann Lee</a>' in post.cooked


def test_recook_keeps_a_library_pages_update_time(runner):
    """Rendering a library page again is no edit: its "updated" time stays."""
    resource = _resource()
    resource.updated_at = datetime(2025, 1, 2, tzinfo=UTC)
    db.session.commit()
    runner.invoke(args=["recook"])
    db.session.refresh(resource)
    assert resource.updated_at == datetime(2025, 1, 2, tzinfo=UTC) and "<h2>" in resource.cooked
