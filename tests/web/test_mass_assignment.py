"""Forms ignore fields they do not declare (SECURITY.md #11): no role, status, trust or authorship by an extra field."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, Member, MemberStatus, Post, Role, Topic
from tests.factories import make_group, make_member, make_topic
from tests.support import browser

PASSWORD = "plum kettle lantern"
# What an attacker might add to any form, hoping a view copies the request into a model.
EXTRA_FIELDS = {
    "role": "admin",
    "status": "suspended",
    "approved_posts": "9999",
    "helpful_received": "9999",
    "post_count": "9999",
    "author_id": "1",
    "member_id": "1",
    "group_id": "1",
    "topic_id": "1",
    "pinned": "y",
    "pinned_site_wide": "y",
    "pin_rank": "1",
    "pinned_at": "2020-01-01T00:00:00",
    "locked": "y",
    "is_opening": "y",
    "status_reason": "x",
    "id": "1",
    "email": "attacker@example.org",
    "guidelines_outdated": "y",
    "profile_visibility": "everyone",
}


@pytest.fixture
def victim():  # noqa: ANN201
    """A member who owns id 1, so extra `author_id=1` fields would point at them."""
    return make_member(display_name="Victim", role=Role.ADMIN)


def test_register_ignores_extra_fields(client, victim):
    """Signing up with role/status/trust fields still makes an ordinary, untrusted, active member."""
    form = {
        **EXTRA_FIELDS,
        "email": "newcomer@example.org",
        "display_name": "Newcomer",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_guidelines": "y",
    }
    assert client.post_form("/register", form).status_code == 302
    member = db.session.scalar(select(Member).where(Member.email == "newcomer@example.org"))
    assert (member.role, member.status) == (Role.MEMBER, MemberStatus.ACTIVE)
    assert (member.approved_posts, member.post_count, member.helpful_received) == (0, 0, 0)


def test_new_topic_ignores_extra_fields(app, victim):
    """A new topic with author/pinned/locked/status fields belongs to its real author and is not pinned or locked."""
    author = make_member(approved_posts=0)
    group = make_group(members=(author,))
    other_group = make_group()
    fields = {**EXTRA_FIELDS, "group_id": str(other_group.id), "title": "My question", "body": "Hello everyone"}
    assert browser(app, author).post_form(f"/g/{group.slug}/new", fields).status_code == 302
    topic = db.session.scalar(select(Topic).where(Topic.title == "My question"))
    assert (topic.author_id, topic.group_id) == (author.id, group.id)
    assert topic.status == ContentStatus.PENDING  # a newcomer's first post is still held
    assert (topic.pinned, topic.pinned_site_wide, topic.pin_rank, topic.locked) == (False, False, 0, False)
    db.session.refresh(author)
    assert (author.role, author.approved_posts) == (Role.MEMBER, 0)


def test_reply_ignores_extra_fields(app, victim):
    """A reply with author/topic/status fields is the real author's reply in the topic of the URL, held as usual."""
    author = make_member(approved_posts=0)
    group = make_group(members=(author,))
    topic, elsewhere = make_topic(group=group), make_topic(group=group)
    fields = {**EXTRA_FIELDS, "topic_id": str(elsewhere.id), "body": "Me too"}
    assert browser(app, author).post_form(f"/t/{topic.id}/reply", fields).status_code == 302
    post = db.session.scalar(select(Post).where(Post.raw == "Me too"))
    assert (post.author_id, post.topic_id, post.is_opening) == (author.id, topic.id, False)
    assert post.status == ContentStatus.PENDING


def test_profile_ignores_extra_fields(app, victim):
    """Saving one's profile with role/status/e-mail fields changes only the bio and visibility."""
    member = make_member()
    fields = {**EXTRA_FIELDS, "bio": "Living with MS since 2019.", "visibility": "members"}
    response = browser(app, member).post_form("/account/profile", fields)
    assert response.status_code == 302
    db.session.refresh(member)
    db.session.refresh(victim)
    assert member.bio == "Living with MS since 2019."
    assert (member.role, member.status, member.approved_posts) == (Role.MEMBER, MemberStatus.ACTIVE, 10)
    assert member.email != "attacker@example.org"
    assert victim.bio in (None, "")
