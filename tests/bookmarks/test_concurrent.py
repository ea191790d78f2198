"""Bookmark buttons pressed several times at the same moment, and reminder runs overlapping (SECURITY.md #31):
never a server error, one final state, no reminder twice."""

from __future__ import annotations

import threading
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import Bookmark, Notification
from app.models.base import utcnow
from app.services.bookmarks.reminders import send_reminders
from tests.bookmarks.conftest import Thread
from tests.factories import make_post
from tests.web.test_concurrent_toggles import burst


def count(model: type, *where: object) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_simultaneous_post_bookmarks_leave_one_row(app: Flask, thread: Thread) -> None:
    """Bookmarking one post from several tabs at once stores one bookmark."""
    burst(app, thread.reader, f"/p/{thread.reply.id}/bookmark")
    assert count(Bookmark, Bookmark.member_id == thread.reader.id) == 1


def test_simultaneous_topic_bookmarks_leave_one_row(app: Flask, thread: Thread) -> None:
    """Bookmarking one topic from several tabs at once stores one topic bookmark."""
    burst(app, thread.reader, f"/t/{thread.topic.id}/bookmark")
    assert count(Bookmark, Bookmark.member_id == thread.reader.id, Bookmark.post_id.is_(None)) == 1


def test_bookmarks_racing_removals_end_in_one_state(app: Flask, thread: Thread) -> None:
    """Bookmark and unbookmark of one post at the same moment never fail; at most one bookmark remains."""
    base = f"/p/{thread.reply.id}"
    burst(app, thread.reader, *[f"{base}/bookmark", f"{base}/unbookmark"] * 4)
    assert count(Bookmark, Bookmark.member_id == thread.reader.id) <= 1


def test_overlapping_reminder_runs_fire_each_reminder_once(app: Flask, thread: Thread) -> None:
    """Two reminder runs at once (the CLI beside a worker) fire 20 due reminders once each between them."""
    due = utcnow() - timedelta(minutes=1)
    for _ in range(20):
        post = make_post(topic=thread.topic)
        db.session.add(Bookmark(member_id=thread.reader.id, topic_id=thread.topic.id, post_id=post.id, remind_at=due))
    db.session.commit()
    fired: list[int] = []

    def run() -> None:
        with app.app_context():
            fired.append(send_reminders())
            db.session.remove()

    runs = [threading.Thread(target=run) for _ in range(2)]
    for one in runs:
        one.start()
    for one in runs:
        one.join(timeout=60)
    assert sum(fired) == 20
    assert count(Notification, Notification.kind == "bookmark_reminder") == 20
