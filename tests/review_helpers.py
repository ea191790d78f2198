"""Shared by the review-queue, audit-log and moderation tests: a moderator and the group they work in (fixtures,
imported under their own name with the fixtures they ask for), items made by the real posting and flag rules,
decisions made through the moderators' pages, and a snapshot of everything a decision may write."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import (
    AuditEvent,
    Group,
    GroupMembership,
    Member,
    Notification,
    Post,
    ReviewEvent,
    ReviewItem,
    ReviewStatus,
    Role,
    Topic,
)
from app.services.community.posting import reply, start_topic
from app.services.moderation.flags import flag_post
from tests.community_helpers import browser, count_rows, stored_state
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_post, make_topic


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


def newcomer_in(group: Group, name: str | None = None) -> Member:
    """A newcomer (posts held) who joined `group`."""
    member = make_member(display_name=name, approved_posts=0)
    db.session.add(GroupMembership(member_id=member.id, group_id=group.id))
    group.member_count += 1
    db.session.commit()
    return member


def open_item(post: Post) -> ReviewItem | None:
    """The post's open review item, if it has one."""
    db.session.expire_all()
    return db.session.scalar(
        select(ReviewItem).where(ReviewItem.post_id == post.id, ReviewItem.status == ReviewStatus.OPEN)
    )


def held_reply(author: Member, topic: Topic, body: str = "Thank you all for the warm welcome.") -> ReviewItem:
    """A reply the review rules hold (the author must be a newcomer who joined the group); its open item."""
    posted = reply(author, topic, body)
    assert posted.held, posted.verdict
    item = open_item(posted.post)
    assert item is not None
    return item


def held_topic(
    author: Member, group: Group, title: str = "Hello from a newcomer", body: str = "Glad to be here."
) -> ReviewItem:
    """A new topic the review rules hold; the open item of its opening post."""
    posted = start_topic(author, group, title, body)
    assert posted.held, posted.verdict
    item = open_item(posted.post)
    assert item is not None
    return item


def flagged_post(topic: Topic, flags: int = 1, reason: str = "spam", details: str = "", **post_fields: Any) -> Post:
    """A published post flagged by `flags` established members, each with the same reason."""
    post = make_post(topic=topic, **post_fields)
    for _ in range(flags):
        flag_post(make_member(), post, reason, details)
    db.session.expire_all()
    return post


def decide_on_page(
    client: FormClient,
    item: ReviewItem,
    action: str,
    note: str = "",
    guideline: str = "",
    version: int | None = None,
) -> TestResponse:
    """Submit an item's decision form on the queue page, following the redirect back to the queue."""
    data = {
        "action": action,
        "note": note,
        "guideline": guideline,
        "version": str(item.version if version is None else version),
    }
    return client.post_form(f"/mod/items/{item.id}/decide", data, follow_redirects=True)


def bulk_on_page(client: FormClient, item_ids: list[int], action: str, note: str = "") -> TestResponse:
    """Submit the queue's bulk form with these items ticked."""
    data = {"item_ids": [str(i) for i in item_ids], "action": action, "note": note}
    return client.post_form("/mod/queue/bulk", data, follow_redirects=True)


def audit_events() -> list[AuditEvent]:
    """Every audit event, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def moderation_state() -> dict[str, Any]:
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


def notifications_for(member: Member) -> list[Notification]:
    """The member's notifications, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(select(Notification).where(Notification.member_id == member.id).order_by(Notification.id))
    )
