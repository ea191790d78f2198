"""Posts that may or may not leave the site: a public one by a consenting author, and its refusals."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from app.extensions import db
from app.models import Member, Post, Topic
from app.models.community import GroupVisibility
from tests.factories import make_group, make_member, make_topic

BODY = "Walking a little every morning helped me more than anything after the operation. Start with five minutes."


@dataclass
class Shared:
    author: Member
    topic: Topic
    post: Post  # the topic's opening post


def consenting(name: str = "Rosa Lindqvist", *, with_name: bool = True) -> Member:
    """A member who agreed to reposting (and, by default, to their name going with it)."""
    return make_member(display_name=name, repost_consent=True, repost_name_consent=with_name)


def shared_topic(author: Member, *, body: str = BODY, members_only: bool = False, **fields: object) -> Shared:
    visibility = GroupVisibility.MEMBERS if members_only else GroupVisibility.PUBLIC
    group = make_group(name="Recovering from surgery", visibility=visibility)
    topic = make_topic(group=group, author=author, title="What helped you walk again?", body=body, **fields)
    post = db.session.query(Post).filter_by(topic_id=topic.id, is_opening=True).one()
    return Shared(author=author, topic=topic, post=post)


@pytest.fixture
def shared(app: Flask) -> Shared:
    """A public topic whose author agreed to reposting with their name."""
    return shared_topic(consenting())
