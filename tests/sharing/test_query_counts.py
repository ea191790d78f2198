"""Share cards and oEmbed discovery cost the topic page no statement, and a staff reader's Repost links none."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.models import Role
from tests.factories import make_member, make_post
from tests.sharing.conftest import consenting, shared_topic
from tests.web.test_query_counts import MAX_STATEMENTS, statements_for


@pytest.mark.parametrize("role", [None, Role.STAFF], ids=["visitor", "staff"])
def test_topic_page_with_card_and_discovery_runs_as_many_statements(
    app: Flask, client: FlaskClient, count_queries: Callable, login_as: Callable, role: Role | None
) -> None:
    """A topic by a consenting author (og:image, oEmbed link, Repost links) runs the same statements as one by an
    author who agreed to nothing, within the topic page's limit, for 3 replies as for 15."""
    if role is not None:
        login_as(make_member(role=role))
    client.get("/guidelines")  # warm up, as the page-count tests do
    counts = []
    for author in (consenting(), make_member()):
        for replies in (3, 15):
            thread = shared_topic(author)
            for _ in range(replies):
                make_post(topic=thread.topic, author=consenting(f"Replier {_} {replies} {author.id}"))
            url = f"/t/{thread.topic.id}/{thread.topic.slug}"
            counts.append(statements_for(client, count_queries, url, '<li class="post', replies + 1))
    assert len(set(counts)) == 1, counts
    assert counts[0] <= MAX_STATEMENTS
