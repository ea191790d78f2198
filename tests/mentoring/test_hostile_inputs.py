"""The shared hostile-input corpora through the check-in's `how` field: always refused clearly, never a 500."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import CheckIn
from tests.conftest import FormClient
from tests.factories import make_member, make_post, make_topic
from tests.mentoring.conftest import away_for, crisis_routed
from tests.support import read_corpus, soup


def test_hostile_ways_are_refused_beside_the_choice(app: Flask, mentor_client: FormClient) -> None:
    """Every corpus line as `how` answers 422 with the reason next to the choice, echoes no markup, stores nothing."""
    member = make_member()
    post = crisis_routed(make_post(topic=make_topic(), author=member))
    away_for(member, 5)
    for line in read_corpus("hostile-inputs.txt") + read_corpus("xss-payloads.txt"):
        response = mentor_client.post_form(f"/mentor/check-ins/{post.id}", {"how": line})
        assert response.status_code == 422, repr(line)
        page = soup(response)
        assert page.select_one(f"#c{post.id}-how-error") is not None
        assert page.select("script:not([src])") == [], repr(line)
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0
