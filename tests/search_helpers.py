"""Shared by the search tests: searching through the real page and reading what it found."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from werkzeug.test import TestResponse

from app.extensions import db
from app.models import Post
from tests.community_helpers import soup
from tests.conftest import FormClient

RESULT_LINK = re.compile(r"^/p/(\d+)$")


def search(client: FormClient, q: str, **filters: str) -> TestResponse:
    """GET the search page like the header's search box (and the filter form) would."""
    response = client.get("/search", query_string={"q": q, **filters})
    assert response.status_code == 200, response.status_code
    return response


def found_ids(response: TestResponse) -> list[int]:
    """The ids of the posts the page lists as results, in page order."""
    links = soup(response).select("li.search-result h2 a")
    return [int(RESULT_LINK.match(link["href"]).group(1)) for link in links]


def found(client: FormClient, q: str, **filters: str) -> set[int]:
    """The set of post ids a search finds (first page)."""
    return set(found_ids(search(client, q, **filters)))


def dated(post: Post, day: str) -> Post:
    """Give a post a known creation date (YYYY-MM-DD, noon UTC)."""
    post.created_at = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)
    db.session.commit()
    return post
