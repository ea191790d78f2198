"""Bookmark reminders: at their time the member is notified as they chose for the kind ("bookmark reminder"),
by `flask send-reminders` or the send-mail worker, and never twice. E-mail goes through the outbox to a real
SMTP server and names neither the post nor the note."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.models import Bookmark, ContentStatus, Delivery, MailStatus
from app.models.base import utcnow
from app.services.bookmarks.reminders import fire_reminder, send_reminders
from tests.bookmarks.conftest import Thread, bookmark_post
from tests.smtp import SMTPServer
from tests.support import BASE_URL, browser, notifications_of, outbox, page

ROOT = Path(__file__).resolve().parents[2]
NOTE = "notemark-sienna: ask about the night dose"


@pytest.fixture
def app_overrides(smtp_server: SMTPServer) -> dict:
    """Mail goes to the test's SMTP server, and its links start with BASE_URL."""
    return {"BASE_URL": BASE_URL, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def remind(bookmark: Bookmark, minutes: float) -> Bookmark:
    """Set the bookmark's reminder `minutes` from now (negative: already due), with a private note."""
    db.session.rollback()
    row = db.session.get(Bookmark, bookmark.id)
    row.remind_at, row.note = utcnow() + timedelta(minutes=minutes), NOTE
    db.session.commit()
    return row


def run(runner, *args: str) -> str:  # noqa: ANN001
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def due(app: Flask, thread: Thread) -> Bookmark:
    """The reader's bookmark on the reply, its reminder a minute past."""
    return remind(bookmark_post(thread.client, thread.reply), -1)


def test_send_reminders_notifies_a_due_reminder_once(app: Flask, runner, thread: Thread, due: Bookmark) -> None:  # noqa: ANN001
    """`flask send-reminders` notifies the owner of a due reminder; running it again sends nothing more."""
    assert run(runner, "send-reminders") == "Sent 1 reminder.\n"
    assert run(runner, "send-reminders") == "Sent 0 reminders.\n"
    [notification] = notifications_of(thread.reader, "bookmark_reminder")
    assert notification.message == 'Reminder: the post you bookmarked in "Sleep after surgery".'
    assert notification.link == f"/p/{thread.reply.id}"


def test_a_reminder_not_yet_due_waits(app: Flask, runner, thread: Thread) -> None:  # noqa: ANN001
    """A reminder set for later is not sent before its time, and is sent once it has come."""
    bookmark = remind(bookmark_post(thread.client, thread.reply), 30)
    assert run(runner, "send-reminders") == "Sent 0 reminders.\n"
    assert send_reminders(now=utcnow() + timedelta(minutes=31)) == 1
    assert db.session.get(Bookmark, bookmark.id).reminded_at is not None


def test_a_claimed_reminder_is_not_fired_again(app: Flask, thread: Thread, due: Bookmark) -> None:
    """Two runs reaching the same reminder (the CLI and the worker at once): only the first one notifies."""
    now = utcnow()
    assert [fire_reminder(due.id, now), fire_reminder(due.id, now)] == [True, False]
    assert len(notifications_of(thread.reader, "bookmark_reminder")) == 1


def test_a_topic_reminder_names_the_topic(app: Flask, runner, thread: Thread) -> None:  # noqa: ANN001
    """A reminder on a topic bookmark names the topic and links to it."""
    thread.client.post_form(f"/t/{thread.topic.id}/bookmark")
    remind(db.session.query(Bookmark).filter_by(post_id=None).one(), -1)
    run(runner, "send-reminders")
    [notification] = notifications_of(thread.reader, "bookmark_reminder")
    assert notification.message == 'Reminder: the topic "Sleep after surgery" you bookmarked.'
    assert notification.link == f"/t/{thread.topic.id}"


def test_a_reminder_about_a_hidden_post_names_nothing(app: Flask, runner, thread: Thread, due: Bookmark) -> None:  # noqa: ANN001
    """When the kept post was hidden meanwhile, the reminder says it is no longer available: no title, no link."""
    thread.reply.status = ContentStatus.HIDDEN
    db.session.commit()
    run(runner, "send-reminders")
    [notification] = notifications_of(thread.reader, "bookmark_reminder")
    assert "Sleep after surgery" not in notification.message
    assert notification.link == "/bookmarks"


def test_the_reminder_appears_on_the_notifications_page_only_for_its_owner(
    app: Flask,
    runner,
    thread: Thread,
    due: Bookmark,  # noqa: ANN001
) -> None:
    """The owner's notifications page lists the reminder; nobody else hears of it."""
    other = browser(app, thread.reply.author)
    run(runner, "send-reminders")
    assert "Reminder: the post you bookmarked" in page(thread.client.get("/notifications"))
    assert "Reminder" not in page(other.get("/notifications"))


def test_in_app_by_default_so_no_mail(app: Flask, runner, thread: Thread, due: Bookmark) -> None:  # noqa: ANN001
    """By default a reminder is on the notifications page only: no e-mail is queued."""
    run(runner, "send-reminders")
    assert outbox(thread.reader.email) == []


def test_email_when_chosen_without_title_or_note(
    app: Flask,
    runner,
    thread: Thread,
    due: Bookmark,
    prefer,
    smtp_server: SMTPServer,  # noqa: ANN001
) -> None:
    """A member who chose e-mail for reminders gets one through the outbox, naming neither the post nor the note."""
    prefer(thread.reader, "bookmark_reminder", Delivery.EMAIL)
    run(runner, "send-reminders")
    [mail] = outbox(thread.reader.email)
    assert mail.subject.startswith("A reminder you set")
    for secret in (NOTE, "Sleep after surgery", "wedge pillow"):
        assert secret not in mail.body_text and secret not in (mail.body_html or "")
    run(runner, "send-mail", "--once")
    assert [m.status for m in outbox(thread.reader.email)] == [MailStatus.SENT]
    assert len(smtp_server.messages) == 1


def test_nothing_when_the_member_chose_nothing(app: Flask, runner, thread: Thread, due: Bookmark, prefer) -> None:  # noqa: ANN001
    """A member who chose "Nothing" for reminders gets no notification, and the reminder still counts as done."""
    prefer(thread.reader, "bookmark_reminder", Delivery.NONE)
    assert run(runner, "send-reminders") == "Sent 1 reminder.\n"
    assert notifications_of(thread.reader, "bookmark_reminder") == []
    assert run(runner, "send-reminders") == "Sent 0 reminders.\n"


def test_a_new_time_sets_a_new_reminder(app: Flask, runner, thread: Thread, due: Bookmark) -> None:  # noqa: ANN001
    """After a reminder fired, saving a new time on the bookmark's page reminds once more at that time."""
    run(runner, "send-reminders")
    later = (utcnow() + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    assert thread.client.post_form(f"/bookmarks/{due.id}", {"note": NOTE, "remind_at": later}).status_code == 302
    assert send_reminders(now=utcnow() + timedelta(minutes=6)) == 1
    assert len(notifications_of(thread.reader, "bookmark_reminder")) == 2


def test_send_mail_once_fires_due_reminders_and_sends_them(
    app: Flask,
    runner,
    thread: Thread,
    due: Bookmark,
    prefer,
    smtp_server: SMTPServer,  # noqa: ANN001
) -> None:
    """The mail worker fires due reminders itself: one `send-mail --once` notifies and delivers the e-mail."""
    prefer(thread.reader, "bookmark_reminder", Delivery.EMAIL)
    run(runner, "send-mail", "--once")
    assert len(notifications_of(thread.reader, "bookmark_reminder")) == 1
    assert [m.status for m in outbox(thread.reader.email)] == [MailStatus.SENT]


def test_the_settings_page_offers_the_reminder_kind(app: Flask, thread: Thread) -> None:
    """The notification settings list "Reminders you set on your bookmarks" with the usual four choices."""
    html = page(thread.client.get("/account/notifications"))
    assert "Reminders you set on your bookmarks" in html
    assert 'name="bookmark_reminder"' in html


@pytest.mark.once
def test_the_running_worker_fires_due_reminders(
    app: Flask,
    database_url: str,
    thread: Thread,
    due: Bookmark,
    prefer,
    smtp_server: SMTPServer,  # noqa: ANN001
) -> None:
    """`send-mail` left running notices a due reminder on its next round, notifies and delivers its e-mail."""
    prefer(thread.reader, "bookmark_reminder", Delivery.EMAIL)
    env = {
        **os.environ,
        "KINDRED_ENV": "testing",
        "TEST_DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server.port),
        "MAIL_POLL_SECONDS": "1",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "send-mail"]
    worker = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while not smtp_server.messages and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            out, err = worker.communicate(timeout=10)
        except subprocess.TimeoutExpired:  # never leave it running
            worker.kill()
            out, err = worker.communicate()
    assert len(smtp_server.messages) == 1, err
    assert len(notifications_of(thread.reader, "bookmark_reminder")) == 1
    assert "Stopped." in out
