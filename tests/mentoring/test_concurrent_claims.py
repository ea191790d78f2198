"""Two mentors pressing "I'll welcome this" at the same moment, over real HTTP: one wins, the other is told."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import CheckIn, Role, Welcome
from tests.factories import make_member, make_post, make_topic
from tests.mentoring.conftest import away_for, crisis_routed
from tests.served import ServedApp
from tests.served import served as serving
from tests.support import browser, opening_post


@pytest.fixture
def served(app: Flask) -> Iterator[ServedApp]:
    with serving(app) as server:
        yield server


def test_simultaneous_claims_by_two_mentors_have_one_winner(app: Flask, served: ServedApp) -> None:
    """Both requests answer without a server error; one claim is stored, and the other mentor is told who has it."""
    post = opening_post(make_topic())
    mentors = [make_member(display_name=name, role=Role.MENTOR) for name in ("Mentor Ada", "Mentor Bo")]
    browsers = [browser(app, mentor) for mentor in mentors]
    for _ in range(3):  # the race is a matter of timing: run it a few times on fresh rows
        assert served.post_from_each_at_once(browsers, f"/mentor/posts/{post.id}/claim") == [302, 302]
        assert served.errors == []
        db.session.rollback()
        [welcome] = db.session.scalars(select(Welcome).where(Welcome.post_id == post.id)).all()
        winner = next(m for m in mentors if m.id == welcome.claimed_by_id)
        assert sorted(served.flashed()) == sorted(
            [
                "Thank you: the other mentors can see you are welcoming this member.",
                f"{winner.display_name} has just said they will welcome this member.",
            ]
        )
        db.session.delete(welcome)
        db.session.commit()


def test_simultaneous_check_ins_store_one(app: Flask, served: ServedApp) -> None:
    """Two mentors marking the same member checked in at once store one check-in and no server error."""
    member = make_member()
    post = crisis_routed(make_post(topic=make_topic(), author=member))
    away_for(member, 5)
    browsers = [browser(app, make_member(role=Role.MENTOR)) for _ in range(2)]
    assert served.post_from_each_at_once(browsers, f"/mentor/check-ins/{post.id}", {"how": "message"}) == [302, 302]
    assert served.errors == []
    db.session.rollback()
    assert len(db.session.scalars(select(CheckIn)).all()) == 1
