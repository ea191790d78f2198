"""Firing due bookmark reminders as notifications: from `flask send-reminders` and from the send-mail worker.

Each reminder is claimed by one conditional UPDATE (reminded_at still empty) in the transaction that notifies, so
two runs at the same moment, or a run after a crash, never remind twice."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext
from sqlalchemy import select, update

from app import permissions
from app.database.dml import rows_matched
from app.extensions import db
from app.models import Bookmark, Member
from app.models.base import utcnow
from app.services.common.audit import notify

REMINDER_KIND = "bookmark_reminder"
BATCH = 500


def due_reminders(now: datetime, limit: int = BATCH) -> list[int]:
    """Ids of reminders whose time has come and that have not fired, soonest first."""
    query = (
        select(Bookmark.id)
        .where(Bookmark.reminded_at.is_(None), Bookmark.remind_at <= now)
        .order_by(Bookmark.remind_at, Bookmark.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _message_and_link(member: Member, bookmark: Bookmark) -> tuple[str, str]:
    """The topic's title and a link only while the member may still open what they kept; never the post's text."""
    if not permissions.can(member, "open_bookmark", bookmark):
        return lazy_gettext("Reminder: something you bookmarked is no longer available."), "/bookmarks"
    title = bookmark.topic.title
    if bookmark.post_id is not None:
        return lazy_gettext('Reminder: the post you bookmarked in "%(title)s".', title=title), f"/p/{bookmark.post_id}"
    return lazy_gettext('Reminder: the topic "%(title)s" you bookmarked.', title=title), f"/t/{bookmark.topic_id}"


def fire_reminder(bookmark_id: int, now: datetime) -> bool:
    """Claim one due reminder and notify its owner in the same transaction; False when another run had it."""
    claimed = update(Bookmark).where(
        Bookmark.id == bookmark_id, Bookmark.reminded_at.is_(None), Bookmark.remind_at <= now
    )
    if not rows_matched(claimed.values(reminded_at=now)):
        db.session.rollback()
        return False
    bookmark = db.session.get(Bookmark, bookmark_id)
    member = db.session.get(Member, bookmark.member_id) if bookmark is not None else None
    if bookmark is not None and member is not None:
        message, link = _message_and_link(member, bookmark)
        notify(member.id, REMINDER_KIND, message, link)
    db.session.commit()
    return True


def send_reminders(now: datetime | None = None) -> int:
    """Fire every reminder that is due; how many fired. Safe to run as often as wanted, and from several places."""
    now = now or utcnow()
    fired = 0
    while ids := due_reminders(now):
        fired += sum(fire_reminder(bookmark_id, now) for bookmark_id in ids)
    return fired
