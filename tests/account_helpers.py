"""Shared by the account-settings and password-reset tests: the page as text, and the member as stored."""

from __future__ import annotations

import html

from sqlalchemy import func, select
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import LoginSession, Member


def page(response: TestResponse) -> str:
    """The response's HTML with entities resolved, so quotes and apostrophes read as typed."""
    return html.unescape(response.get_data(as_text=True))


def reloaded(member: Member) -> Member:
    """The member as the requests left them."""
    db.session.rollback()
    return db.session.get(Member, member.id)


def login_sessions(member: Member) -> int:
    """How many signed-in sessions the member has, as committed."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).where(LoginSession.member_id == member.id))
