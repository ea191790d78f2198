"""/mentor issues the same number of statements for a short list as for a long one (no query per row)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from app.extensions import db
from app.models import ContentStatus, Role
from tests.conftest import FormClient
from tests.factories import make_member, make_post, make_topic
from tests.mentoring.conftest import away_for, crisis_routed
from tests.support import opening_post


def add_rows(mentor_client: FormClient, n: int) -> None:
    """n newcomers' first topics (every other one claimed) and n members to check in on."""
    for i in range(n):
        post = opening_post(make_topic())
        if i % 2:
            mentor_client.post_form(f"/mentor/posts/{post.id}/claim")
        member = make_member()
        # Held, in a mentor's topic: nothing of it is already loaded by the welcome queue.
        topic = make_topic(author=make_member(role=Role.MENTOR))
        crisis_routed(make_post(topic=topic, author=member, status=ContentStatus.PENDING))
        away_for(member, 5)


def test_the_page_runs_a_fixed_number_of_statements(
    app: Flask, mentor_client: FormClient, count_queries: Callable
) -> None:
    """Two rows of each list or eight: the same statements."""
    counts = []
    for n in (2, 6):
        add_rows(mentor_client, n)
        mentor_client.get("/mentor")  # warm: the first request also loads what every page needs once
        db.session.expunge_all()  # nothing the factories loaded may spare the page a query
        with count_queries() as counter:
            assert mentor_client.get("/mentor").status_code == 200
        counts.append(len(counter.statements))
    assert counts[0] == counts[1]
