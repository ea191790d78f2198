"""Bookmark fixtures: a reader in a group with a topic of a few replies, and a way to bookmark through the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Bookmark, Delivery, Member, NotificationPreference, Post, Topic
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser


@dataclass
class Thread:
    reader: Member
    client: FormClient  # the reader, signed in
    topic: Topic
    reply: Post  # someone else's reply in the topic


@pytest.fixture
def thread(app: Flask) -> Thread:
    """A reader who joined a group, a topic there by someone else, and a reply to it."""
    reader = make_member(display_name="Rita Reader")
    topic = make_topic(group=make_group(members=(reader,)), title="Sleep after surgery")
    reply = make_post(topic=topic, body="Try a wedge pillow.")
    return Thread(reader, browser(app, reader), topic, reply)


def bookmarks_of(member: Member) -> list[Bookmark]:
    """The member's bookmarks as committed, oldest first."""
    db.session.rollback()
    return list(db.session.scalars(select(Bookmark).where(Bookmark.member_id == member.id).order_by(Bookmark.id)))


def bookmark_post(client: FormClient, post: Post) -> Bookmark:
    """Press "Bookmark" on the post, and return the bookmark it made."""
    assert client.post_form(f"/p/{post.id}/bookmark").status_code == 302
    db.session.rollback()
    return db.session.scalars(select(Bookmark).where(Bookmark.post_id == post.id)).one()


@pytest.fixture
def prefer() -> Callable[..., None]:
    """Store a member's delivery choice for one kind, as the settings page would."""

    def _prefer(member: Member, kind: str, delivery: Delivery) -> None:
        db.session.merge(NotificationPreference(member_id=member.id, kind=kind, delivery=delivery))
        db.session.commit()

    return _prefer
