"""Notification fixtures: mail sent to the test's SMTP server, members in one group, what each one was told."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Delivery, Group, GroupMembership, Member, NotificationPreference, OutboxMessage
from tests.factories import make_member
from tests.smtp import SMTPServer
from tests.support import BASE_URL


@pytest.fixture
def app_overrides(smtp_server: SMTPServer) -> dict:
    """Mail goes to the test's SMTP server, and its links start with BASE_URL."""
    return {"BASE_URL": BASE_URL, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def _mail_to(member: Member) -> list[OutboxMessage]:
    """Every outbox row addressed to the member, oldest first."""
    db.session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.to_address == member.email).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


@pytest.fixture
def mail_to() -> Callable[..., list[OutboxMessage]]:
    """Read every outbox row addressed to a member, oldest first."""
    return _mail_to


def _prefer(member: Member, kind: str, delivery: Delivery) -> None:
    """Store the member's choice for one kind, as the settings page would."""
    db.session.merge(NotificationPreference(member_id=member.id, kind=kind, delivery=delivery))
    db.session.commit()


@pytest.fixture
def prefer() -> Callable[..., None]:
    """Store a member's delivery choice for one kind, as the settings page would."""
    return _prefer


def _newcomer() -> Member:
    """A member whose posts the review rules hold (no approved posts yet)."""
    return make_member(approved_posts=0)


@pytest.fixture
def newcomer() -> Callable[..., Member]:
    """Make a member whose posts the review rules hold."""
    return _newcomer


def _member_in(group: Group, **fields: object) -> Member:
    """An established member who joined `group`, so the posting rules let them reply there."""
    member = make_member(**fields)  # type: ignore[arg-type]
    db.session.add(GroupMembership(member_id=member.id, group_id=group.id))
    db.session.commit()
    return member


@pytest.fixture
def member_in() -> Callable[..., Member]:
    """Make an established member who joined a group."""
    return _member_in
