"""Moderation fixtures: a moderator and the group they work in, and shortcuts for the queue's pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import AuditEvent, Group, Member, Notification, ReviewEvent, ReviewItem, Role, Topic
from app.services.community.posting import start_topic
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_topic
from tests.support import browser, count_rows, open_item, stored_state


@pytest.fixture
def moderator() -> Member:
    """A moderator of every group."""
    return make_member(display_name="Mod Ada", role=Role.MODERATOR)


@pytest.fixture
def mod(app: Flask, moderator: Member) -> FormClient:
    """The moderator's browser, signed in."""
    return browser(app, moderator)


@pytest.fixture
def group() -> Group:
    """The Heart health group."""
    return make_group(name="Heart health")


@pytest.fixture
def topic(group: Group) -> Topic:
    """A published topic in that group."""
    return make_topic(group=group, title="Living with AF")


def _held_topic(
    author: Member, group: Group, title: str = "Hello from a newcomer", body: str = "Glad to be here."
) -> ReviewItem:
    """A new topic the review rules hold; the open item of its opening post."""
    posted = start_topic(author, group, title, body)
    assert posted.held, posted.verdict
    item = open_item(posted.post)
    assert item is not None
    return item


@pytest.fixture
def held_topic() -> Callable[..., ReviewItem]:
    """Make a new topic the review rules hold; gives the open item of its opening post."""
    return _held_topic


def _bulk_on_page(client: FormClient, item_ids: list[int], action: str, note: str = "") -> TestResponse:
    """Submit the queue's bulk form with these items ticked."""
    data = {"item_ids": [str(i) for i in item_ids], "action": action, "note": note}
    return client.post_form("/mod/queue/bulk", data, follow_redirects=True)


@pytest.fixture
def bulk_on_page() -> Callable[..., TestResponse]:
    """Submit the queue's bulk form with some items ticked."""
    return _bulk_on_page


def _moderation_state() -> dict[str, Any]:
    """Community rows and counters plus review items, their history, the audit log and notifications."""
    db.session.expire_all()
    items = select(ReviewItem.id, ReviewItem.status, ReviewItem.version, ReviewItem.decided_by_id, ReviewItem.reasons)
    return {
        **stored_state(),
        "items": sorted(tuple(map(str, row)) for row in db.session.execute(items)),
        "item events": count_rows(ReviewEvent),
        "audit events": count_rows(AuditEvent),
        "notifications": count_rows(Notification),
    }


@pytest.fixture
def moderation_state() -> Callable[..., dict[str, Any]]:
    """Snapshot everything a moderation decision may write."""
    return _moderation_state


def _notifications_for(member: Member) -> list[Notification]:
    """The member's notifications, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(select(Notification).where(Notification.member_id == member.id).order_by(Notification.id))
    )


@pytest.fixture
def notifications_for() -> Callable[..., list[Notification]]:
    """Read a member's notifications, oldest first."""
    return _notifications_for
