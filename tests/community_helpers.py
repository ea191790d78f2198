"""Shared by the community tests: browsers isolated per request, posting shortcuts, and database snapshots."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import ContentStatus, Group, GroupMembership, Member, Post, Topic
from tests.conftest import FormClient, sign_in
from tests.factories import make_post, make_topic


def browser(app: Flask, member: Member | None = None) -> FormClient:
    """A browser of its own: a visitor, or `member` signed in (as the login form would, without it)."""
    client: FormClient = app.test_client()  # type: ignore[assignment]
    if member is not None:
        sign_in(client, member)
    return client


def post_topic(
    client: FormClient, group: Group, title: str = "Sleep after surgery", body: str = "Any tips?"
) -> TestResponse:
    """Submit the new-topic form of `group`."""
    return client.post_form(f"/g/{group.slug}/new", {"title": title, "body": body})


def post_reply(client: FormClient, topic: Topic, body: str = "You are not alone in this.") -> TestResponse:
    """Submit the reply form of `topic`."""
    return client.post_form(f"/t/{topic.id}/reply", {"body": body})


def topic_url(topic: Topic) -> str:
    """The topic's canonical URL."""
    return f"/t/{topic.id}/{topic.slug}"


def topic_with_posts(count: int, **fields: Any) -> tuple[Topic, list[Post]]:
    """A topic whose posts read "Post 1" (the opening post) to "Post <count>", in order."""
    topic = make_topic(body="Post 1", **fields)
    for number in range(2, count + 1):
        make_post(topic=topic, body=f"Post {number}")
    return topic, list(db.session.scalars(select(Post).where(Post.topic_id == topic.id).order_by(Post.id)))


def opening_post(topic: Topic) -> Post:
    """The post that opened `topic`."""
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.is_opening))


def count_rows(model: type) -> int:
    """How many rows the model's table holds."""
    return db.session.scalar(select(func.count()).select_from(model))


def refreshed(obj: Any) -> Any:
    """The object re-read from the database, after the views changed it in their own sessions."""
    db.session.refresh(obj)
    return obj


def newest_post() -> Post:
    """The most recently stored post."""
    return db.session.scalar(select(Post).order_by(Post.id.desc()).limit(1))


def soup(response: TestResponse) -> BeautifulSoup:
    """The response's HTML, parsed."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def page_text(response: TestResponse) -> str:
    """The page's words as a reader sees them: tags and entities resolved, whitespace collapsed."""
    return " ".join(soup(response).get_text(" ").split())


def post_bodies(response: TestResponse) -> list[str]:
    """The text of each post shown on a topic page, in page order."""
    return [body.get_text(" ", strip=True) for body in soup(response).select("li.post .post-body")]


def topic_titles(response: TestResponse) -> list[str]:
    """The titles a group page lists, in page order."""
    return [link.get_text(strip=True) for link in soup(response).select("a.topic-title")]


def stored_state() -> dict[str, list[tuple]]:
    """Every community row with its counters: an unchanged snapshot means no row and no counter was written."""
    queries = {
        "groups": select(Group.id, Group.topic_count, Group.post_count, Group.member_count, Group.last_activity_at),
        "memberships": select(GroupMembership.member_id, GroupMembership.group_id),
        "members": select(Member.id, Member.post_count, Member.status),
        "topics": select(Topic.id, Topic.title, Topic.slug, Topic.status, Topic.reply_count, Topic.last_activity_at),
        "posts": select(Post.id, Post.status, Post.raw, Post.cooked, Post.edited_at),
    }
    return {name: sorted(tuple(row) for row in db.session.execute(query)) for name, query in queries.items()}


def _count(query: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def counters_and_recounts() -> tuple[dict[str, tuple], dict[str, tuple]]:
    """Each stored counter, and the same number counted with SQL from the rows it summarises."""
    db.session.expire_all()
    visible = ContentStatus.VISIBLE
    stored, counted = {}, {}
    for group in db.session.scalars(select(Group)):
        stored[f"group {group.slug}"] = (group.topic_count, group.post_count, group.member_count)
        counted[f"group {group.slug}"] = (
            _count(select(Topic.id).where(Topic.group_id == group.id, Topic.status == visible)),
            _count(
                select(Post.id)
                .join(Post.topic)
                .where(Topic.group_id == group.id, Topic.status == visible, Post.status == visible)
            ),
            _count(select(GroupMembership.member_id).where(GroupMembership.group_id == group.id)),
        )
    for topic in db.session.scalars(select(Topic)):
        stored[f"topic {topic.id}"] = (topic.reply_count,)
        counted[f"topic {topic.id}"] = (
            _count(select(Post.id).where(Post.topic_id == topic.id, ~Post.is_opening, Post.status == visible)),
        )
    for member in db.session.scalars(select(Member)):
        stored[f"member {member.id}"] = (member.post_count,)
        counted[f"member {member.id}"] = (
            _count(select(Post.id).where(Post.author_id == member.id, Post.status == visible)),
        )
    return stored, counted
