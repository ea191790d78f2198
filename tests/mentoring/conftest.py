"""Mentoring fixtures: a mentor signed in, and ways to set time back in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import update

from app.extensions import db
from app.models import Member, Post, Role, Welcome
from app.models.base import utcnow
from app.models.moderation import ReviewKind
from app.services.moderation.queue import open_review
from tests.conftest import FormClient
from tests.factories import make_member
from tests.support import browser


@pytest.fixture
def mentor() -> Member:
    return make_member(display_name="Mentor Mia", role=Role.MENTOR)


@pytest.fixture
def mentor_client(app: Flask, mentor: Member) -> FormClient:
    return browser(app, mentor)


def claim_age(post: Post, age: timedelta) -> None:
    """Make the post's claim `age` old, as if it had been made back then."""
    db.session.execute(update(Welcome).where(Welcome.post_id == post.id).values(claimed_at=utcnow() - age))
    db.session.commit()


def crisis_routed(post: Post) -> Post:
    """Record the post as the crisis routing does: held as an urgent review item."""
    open_review(post, ReviewKind.HELD_POST, ["may be about self-harm or suicide"], urgent=True)
    db.session.commit()
    return post


def away_for(member: Member, days: float) -> None:
    """The member last visited, and last posted, `days` ago."""
    then = utcnow() - timedelta(days=days)
    db.session.execute(update(Member).where(Member.id == member.id).values(last_seen_at=then))
    db.session.execute(update(Post).where(Post.author_id == member.id).values(created_at=then))
    db.session.commit()
