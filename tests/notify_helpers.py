"""Shared by the follow, notification and digest tests: members in one group, what each one was told, and the
`app_overrides` fixture that sends their mail to the `smtp_server` fixture."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Delivery, Group, GroupMembership, Member, Notification, NotificationPreference, OutboxMessage
from tests.factories import make_group, make_member
from tests.mail_helpers import SMTPServer

BASE_URL = "http://kindred.test"


@pytest.fixture
def app_overrides(smtp_server: SMTPServer) -> dict:
    """Mail goes to the test's SMTP server, and its links start with BASE_URL."""
    return {"BASE_URL": BASE_URL, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def group_of(*members: Member) -> Group:
    """A group that all of `members` joined."""
    return make_group(members=members)


def notifications_of(member: Member, kind: str | None = None) -> list[Notification]:
    """The member's notifications (of one kind), oldest first, as committed."""
    db.session.expire_all()
    query = select(Notification).where(Notification.member_id == member.id).order_by(Notification.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


def mail_to(member: Member) -> list[OutboxMessage]:
    """Every outbox row addressed to the member, oldest first."""
    db.session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.to_address == member.email).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def prefer(member: Member, kind: str, delivery: Delivery) -> None:
    """Store the member's choice for one kind, as the settings page would."""
    db.session.merge(NotificationPreference(member_id=member.id, kind=kind, delivery=delivery))
    db.session.commit()


def newcomer() -> Member:
    """A member whose posts the review rules hold (no approved posts yet)."""
    return make_member(approved_posts=0)


def member_in(group: Group, **fields: object) -> Member:
    """An established member who joined `group`, so the posting rules let them reply there."""
    member = make_member(**fields)  # type: ignore[arg-type]
    db.session.add(GroupMembership(member_id=member.id, group_id=group.id))
    db.session.commit()
    return member
