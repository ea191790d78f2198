"""A repeat only counts while the earlier post is still there for its author: words whose post was deleted, hidden or
rejected since are posted again, and the member is never sent to a post they can no longer see."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, Post
from tests.factories import make_group, make_member, make_topic
from tests.support import browser, topic_url
from tests.web.test_double_submit import rendered_form

WORDS = "Has anyone tried the new dosage?"


@pytest.fixture
def member():  # noqa: ANN201
    return make_member()


@pytest.fixture
def topic(member):  # noqa: ANN001, ANN201
    return make_topic(group=make_group(members=(member,)))


def _reply(client, topic):  # noqa: ANN001, ANN202
    """Send WORDS from a fresh rendering of the topic's reply form."""
    return client.post(f"/t/{topic.id}/reply", data={**rendered_form(client, topic_url(topic)), "body": WORDS})


def _replies(topic) -> list[Post]:  # noqa: ANN001
    db.session.rollback()
    query = select(Post).where(Post.topic_id == topic.id, Post.is_opening.is_(False)).order_by(Post.id)
    return list(db.session.scalars(query))


def test_words_of_a_post_deleted_since_are_posted_again(app, member, topic):
    """After the author deleted their reply, the same words again make a new reply, and the member lands on it."""
    client = browser(app, member)
    _reply(client, topic)
    first = _replies(topic)[0]
    client.post(f"/p/{first.id}/delete", data={"csrf_token": rendered_form(client, topic_url(topic))["csrf_token"]})
    again = _reply(client, topic)
    replies = _replies(topic)
    assert [reply.status for reply in replies] == [ContentStatus.DELETED, ContentStatus.VISIBLE]
    assert again.headers["Location"].endswith(f"#p{replies[1].id}")  # the new reply, not "You just posted this"


@pytest.mark.parametrize("status", [ContentStatus.HIDDEN, ContentStatus.REJECTED])
def test_words_of_a_post_taken_down_since_are_posted_again(app, member, topic, status):
    """After moderators hid or rejected the reply, the same words again are a new reply, not "You just posted this"."""
    client = browser(app, member)
    _reply(client, topic)
    first = _replies(topic)[0]
    first.status = status
    db.session.commit()
    again = _reply(client, topic)
    replies = _replies(topic)
    assert len(replies) == 2
    assert again.headers["Location"].endswith(f"#p{replies[1].id}")  # the new reply, not "You just posted this"


def test_a_post_waiting_for_review_still_counts(app, member, topic):
    """A reply held for review is still the author's: the same words again lead to it, stored once."""
    client = browser(app, member)
    _reply(client, topic)
    first = _replies(topic)[0]
    first.status = ContentStatus.PENDING
    db.session.commit()
    again = _reply(client, topic)
    assert len(_replies(topic)) == 1
    assert again.headers["Location"] == f"/p/{first.id}"
