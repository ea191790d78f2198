"""Search fixtures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.models import Post


def _dated(post: Post, day: str) -> Post:
    """Give a post a known creation date (YYYY-MM-DD, noon UTC)."""
    post.created_at = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)
    db.session.commit()
    return post


@pytest.fixture
def dated() -> Callable[..., Post]:
    """Give a post a known creation date."""
    return _dated
