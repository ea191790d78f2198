"""Starting topics, replying, editing and deleting posts, with the counters kept in the same transaction."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import update

from app import permissions
from app.extensions import db
from app.models import ContentStatus, Group, Member, Post, Topic
from app.models.base import utcnow
from app.rendering import cook
from app.services import ServiceError
from app.services.groups import is_member_of

TITLE_MAX = 200
BODY_MAX = 20_000
SLUG_MAX = 80


def slugify(text: str) -> str:
    """A readable URL part: ASCII letters and digits joined by hyphens ("topic" when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "topic"


def clean_title(title: str) -> str:
    if "\x00" in title:
        raise ServiceError("Your title contains a character that cannot be stored (NUL).", "title")
    title = " ".join(title.split())
    if not title:
        raise ServiceError("Please give your topic a title.", "title")
    if len(title) > TITLE_MAX:
        raise ServiceError(f"Titles can be at most {TITLE_MAX} characters.", "title")
    return title


def clean_body(body: str) -> str:
    if "\x00" in body:
        raise ServiceError("Your message contains a character that cannot be stored (NUL).", "body")
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ServiceError("Please write something before posting.", "body")
    if len(body) > BODY_MAX:
        raise ServiceError(f"Posts can be at most {BODY_MAX:,} characters.", "body")
    return body


def start_topic(author: Member, group: Group, title: str, body: str) -> Topic:
    """Create a topic with its opening post and count it in the group."""
    permissions.ensure(author, "start_topic", (group, is_member_of(author, group)))
    title, body = clean_title(title), clean_body(body)
    now = utcnow()
    topic = Topic(group=group, author=author, title=title, slug=slugify(title), created_at=now, last_activity_at=now)
    post = Post(topic=topic, author=author, raw=body, cooked=cook(body), is_opening=True, created_at=now)
    db.session.add_all([topic, post])
    _count_post(group, author, topics=1, now=now)
    db.session.commit()
    return topic


def reply(author: Member, topic: Topic, body: str) -> Post:
    """Add a reply at the end of a topic and update the topic's and group's counters."""
    permissions.ensure(author, "reply", (topic, is_member_of(author, topic.group)))
    body = clean_body(body)
    now = utcnow()
    post = Post(topic=topic, author=author, raw=body, cooked=cook(body), created_at=now)
    db.session.add(post)
    # Relative UPDATEs, so two replies at the same moment both count.
    db.session.execute(
        update(Topic).where(Topic.id == topic.id).values(reply_count=Topic.reply_count + 1, last_activity_at=now)
    )
    _count_post(topic.group, author, topics=0, now=now)
    db.session.commit()
    return post


def edit_post(editor: Member, post: Post, body: str, title: str | None = None) -> Post:
    """Replace a post's text (and the topic title for an opening post), re-cooking it once."""
    permissions.ensure(editor, "edit_post", post)
    body = clean_body(body)
    new_title = clean_title(title) if post.is_opening and title is not None else None
    if body == post.raw and (new_title is None or new_title == post.topic.title):
        return post
    post.raw, post.cooked, post.edited_at = body, cook(body), utcnow()
    if new_title is not None and new_title != post.topic.title:
        post.topic.title, post.topic.slug = new_title, slugify(new_title)
    db.session.commit()
    return post


def delete_post(member: Member, post: Post) -> None:
    """Soft-delete the author's own post. Deleting an opening post nobody answered removes the topic."""
    permissions.ensure(member, "delete_post", post)
    topic, group = post.topic, post.topic.group
    was_visible = post.status == ContentStatus.VISIBLE
    post.status = ContentStatus.DELETED
    if was_visible:
        _uncount_post(group, post)
    if post.is_opening and topic.reply_count == 0:
        if topic.status == ContentStatus.VISIBLE:
            db.session.execute(update(Group).where(Group.id == group.id).values(topic_count=Group.topic_count - 1))
        topic.status = ContentStatus.DELETED
    db.session.commit()


def _count_post(group: Group, author: Member, *, topics: int, now) -> None:  # noqa: ANN001
    db.session.execute(
        update(Group)
        .where(Group.id == group.id)
        .values(topic_count=Group.topic_count + topics, post_count=Group.post_count + 1, last_activity_at=now)
    )
    db.session.execute(update(Member).where(Member.id == author.id).values(post_count=Member.post_count + 1))


def _uncount_post(group: Group, post: Post) -> None:
    db.session.execute(update(Group).where(Group.id == group.id).values(post_count=Group.post_count - 1))
    if post.author_id is not None:
        db.session.execute(update(Member).where(Member.id == post.author_id).values(post_count=Member.post_count - 1))
    if not post.is_opening:
        db.session.execute(update(Topic).where(Topic.id == post.topic_id).values(reply_count=Topic.reply_count - 1))
