"""Test data with keyword defaults. Members share one password hash, made once at the testing cost."""

from __future__ import annotations

import itertools
from functools import cache

from app.extensions import db
from app.models import ContentStatus, Group, GroupMembership, Member, Post, Role, Topic
from app.models.base import utcnow
from app.services.members import passwords
from app.services.members.identity import display_name_key
from app.text.rendering import cook

PASSWORD = "correct horse battery"  # noqa: S105
_sequence = itertools.count(1)


@cache
def _password_hash() -> str:
    return passwords.hash_password(PASSWORD)


def make_member(
    *,
    display_name: str | None = None,
    email: str | None = None,
    role: Role = Role.MEMBER,
    approved_posts: int = 10,
    **fields,
) -> Member:
    """An established member by default (posts publish directly); pass approved_posts=0 for a newcomer."""
    n = next(_sequence)
    display_name = display_name or f"Member {n}"
    fields.setdefault("email_verified_at", utcnow())  # existing members count as confirmed; pass None for a new one
    member = Member(
        email=(email or f"member{n}@example.org").lower(),
        display_name=display_name,
        display_name_key=display_name_key(display_name),
        password_hash=_password_hash(),
        role=role,
        approved_posts=approved_posts,
        guidelines_accepted_at=utcnow(),
        **fields,
    )
    db.session.add(member)
    db.session.commit()
    return member


def make_group(
    *, name: str | None = None, slug: str | None = None, members: tuple[Member, ...] = (), **fields
) -> Group:
    n = next(_sequence)
    group = Group(name=name or f"Group {n}", slug=slug or f"group-{n}", description="A test group", **fields)
    db.session.add(group)
    db.session.flush()
    for member in members:
        db.session.add(GroupMembership(member_id=member.id, group_id=group.id))
    group.member_count = len(members)
    db.session.commit()
    return group


def make_topic(
    *,
    group: Group | None = None,
    author: Member | None = None,
    title: str | None = None,
    body: str = "Opening post",
    status: ContentStatus = ContentStatus.VISIBLE,
    **fields,
) -> Topic:
    """A topic with its opening post, counted in the group like the posting service does."""
    group = group or make_group()
    author = author or make_member()
    n = next(_sequence)
    topic = Topic(group=group, author=author, title=title or f"Topic {n}", slug=f"topic-{n}", status=status, **fields)
    post = Post(topic=topic, author=author, raw=body, cooked=cook(body), is_opening=True, status=status)
    db.session.add_all([topic, post])
    if status == ContentStatus.VISIBLE:
        group.topic_count += 1
        group.post_count += 1
        author.post_count += 1
    db.session.commit()
    return topic


def make_post(
    *,
    topic: Topic | None = None,
    author: Member | None = None,
    body: str = "A reply",
    status: ContentStatus = ContentStatus.VISIBLE,
) -> Post:
    topic = topic or make_topic()
    author = author or make_member()
    post = Post(topic=topic, author=author, raw=body, cooked=cook(body), status=status)
    db.session.add(post)
    if status == ContentStatus.VISIBLE:
        topic.reply_count += 1
        topic.last_activity_at = utcnow()
        topic.group.post_count += 1
        author.post_count += 1
    db.session.commit()
    return post
