"""Bookmarks and the page cache: the member's own cached topic page shows the new state at once, and bookmarking
leaves visitors' cached pages alone (bookmarks are personal rows)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import FormClient
from tests.factories import make_member, make_topic
from tests.support import page_cache_on


@pytest.fixture
def app_overrides(tmp_path: Path) -> dict:
    return page_cache_on(tmp_path)


def test_bookmarking_updates_the_members_page_and_keeps_the_visitors_one(
    app: Flask, client: FormClient, login_as: Callable, count_queries: Callable
) -> None:
    """After bookmarking, the member's topic page says Bookmarked at once; a visitor's cached copy is still served."""
    topic = make_topic(title="Pacing after chemo")
    url, action = f"/t/{topic.id}/{topic.slug}", f"/t/{topic.id}/bookmark"
    login_as(make_member())
    client.get(url)
    assert "Bookmarked" not in client.get(url).get_data(as_text=True)  # the second visit is the one kept
    visitor = FormClient(client.application, client.response_wrapper)
    visitor.get(url)
    assert client.post_form(action).status_code == 302
    assert "Bookmarked" in client.get(url).get_data(as_text=True)
    with count_queries() as counter:
        visitor.get(url)
    assert len(counter) == 0
