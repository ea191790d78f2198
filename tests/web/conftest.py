"""Page fixtures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Post, Topic
from tests.factories import make_post, make_topic


def _topic_with_posts(count: int, **fields: Any) -> tuple[Topic, list[Post]]:
    """A topic whose posts read "Post 1" (the opening post) to "Post <count>", in order."""
    topic = make_topic(body="Post 1", **fields)
    for number in range(2, count + 1):
        make_post(topic=topic, body=f"Post {number}")
    return topic, list(db.session.scalars(select(Post).where(Post.topic_id == topic.id).order_by(Post.id)))


@pytest.fixture
def topic_with_posts() -> Callable[..., tuple[Topic, list[Post]]]:
    """Make a topic whose posts read "Post 1" to "Post <count>"."""
    return _topic_with_posts
