"""Member fixtures: a member with traces everywhere (export, deletion), and the member and sessions as stored."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import LoginSession, Member
from tests.factories import Traces, member_with_traces


@pytest.fixture
def traces(app: Flask) -> Traces:
    """A member with a bio, posts, messages, follows, marks, flags, notifications, preferences, blocks and mail."""
    return member_with_traces()


def _reloaded(member: Member) -> Member:
    """The member as the requests left them."""
    db.session.rollback()
    return db.session.get(Member, member.id)


@pytest.fixture
def reloaded() -> Callable[..., Member]:
    """Re-read a member as the requests left them."""
    return _reloaded


def _login_sessions(member: Member) -> int:
    """How many signed-in sessions the member has, as committed."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).where(LoginSession.member_id == member.id))


@pytest.fixture
def login_sessions() -> Callable[..., int]:
    """Count a member's signed-in sessions, as committed."""
    return _login_sessions
