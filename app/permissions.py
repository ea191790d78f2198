"""Every "may this member do that?" answer lives here: views and templates ask, they never check roles.

Each rule returns None when the action is allowed, or a sentence explaining why not, so a refusal can
always tell the member what to do about it. Rules read as a ladder of early returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from flask import abort
from sqlalchemy import ColumnElement, or_, true

from app.models import ContentStatus, Group, Member, Post, Role, Topic
from app.models.member import MODERATING_ROLES

Actor = Member | None
Rule = Callable[[Actor, Any], str | None]

SIGN_IN = "Please sign in first."
SUSPENDED = "Your account is suspended, so you can read but not post."
ARCHIVED = "This group is archived: it can be read but takes no new posts."
LOCKED = "This topic is locked, so it takes no new replies."
NOT_JOINED = "Join this group to post in it."
ALWAYS_POST_ROLES = frozenset({Role.MENTOR, *MODERATING_ROLES})


def _member(actor: Any) -> Member | None:
    """Flask-Login's anonymous user and None both mean a visitor."""
    return actor if isinstance(actor, Member) else None


def _is_moderator(member: Member | None) -> bool:
    return member is not None and member.role in MODERATING_ROLES


def _join_group(member: Member | None, group: Group) -> str | None:
    if member is None:
        return SIGN_IN
    if group.archived:
        return ARCHIVED
    return None


def _post_in_group(member: Member | None, group: Group, *, joined: bool) -> str | None:
    # Visitors cannot post.
    if member is None:
        return SIGN_IN
    # Suspended members keep read access only.
    if member.is_suspended:
        return SUSPENDED
    # Archived groups are read-only for everyone.
    if group.archived:
        return ARCHIVED
    # Mentors and the moderating team can answer anywhere; members post where they joined.
    if member.role in ALWAYS_POST_ROLES or joined:
        return None
    return NOT_JOINED


def _start_topic(member: Member | None, target: tuple[Group, bool]) -> str | None:
    group, joined = target
    return _post_in_group(member, group, joined=joined)


def _reply(member: Member | None, target: tuple[Topic, bool]) -> str | None:
    topic, joined = target
    # Nobody replies to a topic they cannot see.
    if _view_topic(member, topic) is not None:
        return "This topic is not available."
    # Locked topics are closed, except to moderators who may still need to explain why.
    if topic.locked and not _is_moderator(member):
        return LOCKED
    return _post_in_group(member, topic.group, joined=joined)


def _view_topic(member: Member | None, topic: Topic) -> str | None:
    # Published topics are for everyone.
    if topic.status == ContentStatus.VISIBLE:
        return None
    # The moderating team sees everything, to decide about it.
    if _is_moderator(member):
        return None
    # Authors still see their own topic while it waits for review.
    if member is not None and topic.author_id == member.id and topic.status == ContentStatus.PENDING:
        return None
    return "This topic is not available."


def _view_post(member: Member | None, post: Post) -> str | None:
    # A post is no more visible than its topic.
    if (reason := _view_topic(member, post.topic)) is not None:
        return reason
    # Published posts, and the "removed by its author" placeholders, are for everyone who sees the topic.
    if post.status in (ContentStatus.VISIBLE, ContentStatus.DELETED):
        return None
    if _is_moderator(member):
        return None
    if member is not None and post.author_id == member.id and post.status == ContentStatus.PENDING:
        return None
    return "This post is not available."


def _edit_post(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    # Only the author edits their words (moderator edits come with the review queue).
    if post.author_id != member.id:
        return "You can only edit your own posts."
    if member.is_suspended:
        return SUSPENDED
    if post.status not in (ContentStatus.VISIBLE, ContentStatus.PENDING):
        return "This post can no longer be edited."
    if post.topic.locked:
        return LOCKED
    if post.topic.group.archived:
        return ARCHIVED
    return None


def _delete_post(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    # Members can always take back their own words, even while suspended.
    if post.author_id != member.id:
        return "You can only delete your own posts."
    if post.status == ContentStatus.DELETED:
        return "This post is already deleted."
    return None


RULES: dict[str, Rule] = {
    "join_group": _join_group,
    "start_topic": _start_topic,
    "reply": _reply,
    "view_topic": _view_topic,
    "view_post": _view_post,
    "edit_post": _edit_post,
    "delete_post": _delete_post,
}


def why_not(actor: Any, action: str, target: Any) -> str | None:
    """The reason `actor` may not do `action` to `target`, or None when they may."""
    return RULES[action](_member(actor), target)


def can(actor: Any, action: str, target: Any) -> bool:
    """True when `actor` (a Member, or a visitor) may do `action` to `target`."""
    return why_not(actor, action, target) is None


def ensure(actor: Any, action: str, target: Any) -> None:
    """Abort with 403 and the reason when the action is not allowed."""
    reason = why_not(actor, action, target)
    if reason is not None:
        deny(reason)


def ensure_visible(actor: Any, target: Topic | Post) -> None:
    """Things the actor may not see answer 404, so their existence is not revealed."""
    action = "view_topic" if isinstance(target, Topic) else "view_post"
    if why_not(actor, action, target) is not None:
        abort(404)


def deny(reason: str) -> NoReturn:
    abort(403, description=reason)


def visible_topic_filter(actor: Any) -> ColumnElement[bool]:
    """WHERE clause for topics that `actor` may see in lists."""
    return Topic.status == ContentStatus.VISIBLE


def readable_post_filter(actor: Any) -> ColumnElement[bool]:
    """WHERE clause for the posts shown in a topic's stream: published ones, placeholders for
    deleted ones, and the reader's own posts still waiting for review."""
    member = _member(actor)
    shown = Post.status.in_([ContentStatus.VISIBLE, ContentStatus.DELETED])
    if _is_moderator(member):
        return true()
    if member is None:
        return shown
    own_pending = (Post.author_id == member.id) & (Post.status == ContentStatus.PENDING)
    return or_(shown, own_pending)
