"""With the page cache on, a cached embed is framed like a fresh one, and withdrawn consent takes effect at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.sharing.conftest import Shared
from tests.support import browser, page_cache_on


@pytest.fixture
def app_overrides(tmp_path: Path) -> dict:
    return page_cache_on(tmp_path)


def test_cached_embed_keeps_its_framing_policy(app: Flask, shared: Shared) -> None:
    """The second visitor's embed comes from the cache and still may be framed; the topic page still may not."""
    first, second = browser(app).get(f"/embed/p/{shared.post.id}"), browser(app).get(f"/embed/p/{shared.post.id}")
    assert first.data == second.data
    for response in (first, second):
        assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
        assert "X-Frame-Options" not in response.headers
    for _ in range(2):
        topic = browser(app).get(f"/t/{shared.topic.id}/{shared.topic.slug}")
        assert "frame-ancestors 'none'" in topic.headers["Content-Security-Policy"]


def test_withdrawn_consent_ends_the_cached_embed(app: Flask, shared: Shared) -> None:
    """Once the author unticks reposting on their profile, the embed answers 404 although a copy was cached."""
    assert browser(app).get(f"/embed/p/{shared.post.id}").status_code == 200
    author = browser(app, shared.author)
    assert author.post_form("/account/profile", {"bio": "", "visibility": "everyone"}).status_code == 302
    assert browser(app).get(f"/embed/p/{shared.post.id}").status_code == 404
