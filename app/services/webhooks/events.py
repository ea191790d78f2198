"""What each event tells receivers: only what a visitor to the site could see, built by the producing service.

Nothing is sent for members-only groups, or for content that is pending, hidden or deleted. A topic held for
review is announced when a moderator approves it (its first publication), never while it waits.
"""

from __future__ import annotations

from typing import Any

from app.models import Announcement, Event, Group, Post, Resource
from app.models.community import ContentStatus
from app.permissions import can, is_public_topic
from app.services.notify.notifications import link_for
from app.services.webhooks.queue import emit


def _group(group: Group) -> dict[str, Any]:
    return {"id": group.id, "name": group.name, "url": link_for("community.group", slug=group.slug)}


def _author(post: Post) -> dict[str, Any] | None:
    """The display name shown beside a public post, only when its author agreed that their name may go with their
    posts outside Kindred (a receiver is outside); nothing for an erased account."""
    if post.author is None or not can(None, "credit_author", post):
        return None
    return {"display_name": post.author.display_name}


def still_public(post: Post | None) -> bool:
    """May a delivery about this post still go out (checked before each try)?"""
    return post is not None and post.status == ContentStatus.VISIBLE and is_public_topic(post.topic)


def topic_published(post: Post) -> None:
    """A topic's opening post was published for the first time, in a public group: `topic.created`."""
    topic = post.topic
    if not post.is_opening or post.status != ContentStatus.VISIBLE or not is_public_topic(topic):
        return
    data = {
        "topic": {
            "id": topic.id,
            "title": topic.title,
            "url": link_for("community.topic", topic_id=topic.id, slug=topic.slug),
            "created_at": topic.created_at.isoformat(timespec="seconds"),
        },
        "group": _group(topic.group),
        "author": _author(post),
    }
    emit("topic.created", data, post_id=post.id)


def resource_featured(resource: Resource, post: Post) -> None:
    """A published post of a public group became a library entry: `resource.featured`."""
    if post.status != ContentStatus.VISIBLE or not is_public_topic(post.topic):
        return
    data = {
        "resource": {
            "id": resource.id,
            "title": resource.title,
            "url": link_for("resources.show", resource_id=resource.id),
        },
        "post": {"id": post.id, "url": link_for("community.post", post_id=post.id)},
        "group": _group(post.topic.group),
        "author": _author(post),
    }
    emit("resource.featured", data, post_id=post.id)


def announcement_published(announcement: Announcement) -> None:
    """A site-wide banner went up (every visitor sees it): `announcement.published`."""
    data = {
        "announcement": {
            "id": announcement.id,
            "text": announcement.raw,
            "language": announcement.locale,
            "ends_at": announcement.ends_at.isoformat(timespec="seconds") if announcement.ends_at else None,
            "url": link_for("main.index"),
        }
    }
    emit("announcement.published", data)


def event_created(event: Event) -> None:
    """A new event a visitor may see (site-wide, or in a public group): `event.created`. The online link is left
    out: only members who are going see it, from an hour before the start."""
    if not can(None, "view_event", event):
        return
    data = {
        "event": {
            "id": event.id,
            "title": event.title,
            "kind": event.kind.value,
            "host": event.host,
            "starts_at": event.starts_at.isoformat(timespec="seconds"),
            "ends_at": event.ends_at.isoformat(timespec="seconds"),
            "timezone": event.timezone,
            "location": event.location,
            "capacity": event.capacity,
            "url": link_for("events.show", event_id=event.id),
        },
        "group": _group(event.group) if event.group is not None else None,
    }
    emit("event.created", data)
