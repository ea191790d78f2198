"""Adding, editing and removing a member's bookmarks, and the reader's bookmark state on a topic page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, delete, null, select

from app import permissions
from app.database.dml import insert_once
from app.extensions import db
from app.models import Bookmark, Member, Post, Topic
from app.models.base import utcnow
from app.models.bookmarks import NOTE_MAX
from app.services import Checks, ServiceError
from app.services.common.cleaning import clean_text
from app.services.members.language import recipient_timezone

REMINDER_HORIZON = timedelta(days=3653)  # ten years: far enough for any plan, and always a date in every zone


def post_bookmark_id(viewer: Any) -> ColumnElement[Any]:
    """Per post in a query: the id of the reader's bookmark on it, if any (null for visitors, without a lookup)."""
    if not isinstance(viewer, Member):
        return null()
    return (
        select(Bookmark.id)
        .where(Bookmark.post_id == Post.id, Bookmark.member_id == viewer.id)
        .correlate(Post)
        .scalar_subquery()
    )


def topic_bookmark_id(viewer: Any) -> ColumnElement[Any]:
    """Per topic in a query: the id of the reader's bookmark on the topic itself (not on one of its posts)."""
    if not isinstance(viewer, Member):
        return null()
    return (
        select(Bookmark.id)
        .where(Bookmark.topic_id == Topic.id, Bookmark.post_id.is_(None), Bookmark.member_id == viewer.id)
        .correlate(Topic)
        .scalar_subquery()
    )


def _target_filter(target: Topic | Post) -> tuple[ColumnElement[bool], ...]:
    if isinstance(target, Post):
        return (Bookmark.post_id == target.id,)
    return (Bookmark.topic_id == target.id, Bookmark.post_id.is_(None))


def add_bookmark(member: Member, target: Topic | Post) -> None:
    """Keep a topic or post for later; a second click (or a second tab at the same moment) changes nothing."""
    permissions.ensure(member, "bookmark", target)
    post_id = target.id if isinstance(target, Post) else None
    topic_id = target.topic_id if isinstance(target, Post) else target.id
    insert_once(Bookmark, member_id=member.id, topic_id=topic_id, post_id=post_id, note="")
    db.session.commit()


def remove_bookmark(member: Member, target: Topic | Post) -> None:
    """Take the member's bookmark off a topic or post; nothing to remove is no error (the same final state)."""
    db.session.execute(delete(Bookmark).where(Bookmark.member_id == member.id, *_target_filter(target)))
    db.session.commit()


def delete_bookmark(member: Member, bookmark: Bookmark) -> None:
    """Remove one bookmark from the member's list (also one whose post is no longer available)."""
    permissions.ensure(member, "manage_bookmark", bookmark)
    db.session.execute(delete(Bookmark).where(Bookmark.id == bookmark.id, Bookmark.member_id == member.id))
    db.session.commit()


def clean_note(note: str) -> str:
    """A private note as stored: the rules of every text (no NUL, trimmed), at most NOTE_MAX characters."""
    return clean_text(note, limit=NOTE_MAX, empty=None, noun="Notes", field="note")


def reminder_in_utc(member: Member, local: datetime | None, current: datetime | None = None) -> datetime | None:
    """A reminder typed as a wall-clock time in the member's zone (UTC without one), as a moment in the future;
    the time already set may stay as it is (saving a new note after it fired)."""
    if local is None:
        return None
    try:
        moment = local.replace(tzinfo=ZoneInfo(recipient_timezone(member))).astimezone(UTC)
    except OverflowError:  # the last (or first) hours of year 9999 (or 1) lie outside any date in UTC
        moment = None
    if moment is None or moment > utcnow() + REMINDER_HORIZON:
        raise ServiceError(_("Please choose a reminder time within the next ten years."), "remind_at")
    if moment <= utcnow() and moment != current:
        raise ServiceError(_("Please choose a reminder time in the future."), "remind_at")
    return moment


def update_bookmark(member: Member, bookmark: Bookmark, *, note: str, remind_local: datetime | None) -> None:
    """Save the note and reminder together, or nothing at all when either is refused (all problems at once)."""
    permissions.ensure(member, "manage_bookmark", bookmark)
    checks = Checks()
    note = checks.run(lambda: clean_note(note), "")
    remind_at = checks.run(lambda: reminder_in_utc(member, remind_local, bookmark.remind_at), None)
    checks.settle()
    if remind_at != bookmark.remind_at:
        bookmark.reminded_at = None  # a new time is a new reminder, even after an earlier one fired
    bookmark.note, bookmark.remind_at = note, remind_at
    db.session.commit()


def member_bookmark_or_none(member: Member, bookmark_id: int) -> Bookmark | None:
    """The member's own bookmark by id: someone else's is as absent as a missing one."""
    return db.session.scalar(select(Bookmark).where(Bookmark.id == bookmark_id, Bookmark.member_id == member.id))


def reminder_local(member: Member, bookmark: Bookmark) -> datetime | None:
    """The reminder as the wall-clock time the member typed it, in their zone, for the form."""
    if bookmark.remind_at is None:
        return None
    return bookmark.remind_at.astimezone(ZoneInfo(recipient_timezone(member))).replace(tzinfo=None)
