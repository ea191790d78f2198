"""The messages list and a conversation page issue a fixed number of SQL statements, however long they are."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.models import Member, Role
from tests.factories import make_conversation, make_member
from tests.web.test_query_counts import MAX_STATEMENTS, page_and_rows, statements_for

CONVERSATIONS_PER_PAGE = 20  # app.messages.routes
MESSAGES_PER_PAGE = 50


@pytest.fixture(params=[Role.MEMBER, Role.MODERATOR], ids=["member", "moderator"])
def reader(request: pytest.FixtureRequest, client: FlaskClient, login_as: Callable) -> Member:
    """A signed-in reader (moderators' pages also count the review queue in the header)."""
    member = make_member(display_name="Reader", role=request.param)
    login_as(member)
    client.get("/guidelines")  # warm up, so signing in and first-request work stay out of the counts
    return member


@pytest.mark.parametrize("position", ["first", "last"])
def test_messages_list_runs_fixed_statements(
    client: FlaskClient, count_queries: Callable, reader: Member, position: str
) -> None:
    """The list runs the same few statements for 3 conversations as for 30, each with other participants."""
    counts, total = [], 0
    for size in (3, 27):
        for _ in range(size):
            make_conversation(make_member(), reader, make_member())
        total += size
        page, rows = page_and_rows(position, total, CONVERSATIONS_PER_PAGE)
        counts.append(statements_for(client, count_queries, f"/messages?page={page}", "conversation-row", rows))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


@pytest.mark.parametrize("position", ["first", "last"])
def test_conversation_page_runs_fixed_statements(
    app: Flask, client: FlaskClient, count_queries: Callable, reader: Member, position: str
) -> None:
    """A conversation page runs the same few statements for 3 messages as for 60, unread or not."""
    counts = []
    for size in (3, 60):
        others = [make_member() for _ in range(3)]
        conversation = make_conversation(others[0], reader, *others[1:], bodies=tuple(f"m{n}" for n in range(size)))
        page, rows = page_and_rows(position, size, MESSAGES_PER_PAGE)
        url = f"/messages/{conversation.id}?page={page}"
        counts.append(statements_for(client, count_queries, url, '<li class="post message', rows))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS
