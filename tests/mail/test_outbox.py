"""The outbox and the `send-mail` worker, against a real SMTP server that the tests stop and start."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import MailStatus, OutboxMessage
from app.models.base import utcnow
from app.services.mail.outbox import backoff, send_due
from app.services.mail.queue import queue_mail
from tests.smtp import SMTPServer
from tests.support import outbox

SECRET_WORDS = "my private diagnosis"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_overrides(smtp_server: SMTPServer) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port, "MAIL_RETRY_SECONDS": 1, "MAIL_MAX_ATTEMPTS": 3}


def _queue(n: int = 1, **fields) -> list[int]:  # noqa: ANN003
    """Queue `n` messages in one committed transaction; their ids."""
    messages = [
        queue_mail(to=f"reader{i}@example.org", subject=f"Hello {i}", text=f"Body {i}: {SECRET_WORDS}", **fields)
        for i in range(n)
    ]
    db.session.commit()
    return [m.id for m in messages]


def _run_once(runner) -> str:  # noqa: ANN001
    result = runner.invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def test_queue_mail_writes_nothing_until_the_caller_commits(app: Flask) -> None:
    """queue_mail only adds to the session: a rolled-back transaction leaves no mail behind."""
    queue_mail(to="a@example.org", subject="Hi", text="Body")
    db.session.rollback()
    assert outbox() == []


def test_queue_mail_refuses_line_breaks_in_headers(app: Flask) -> None:
    """A line break in the subject or a header could inject headers: refused before anything is stored."""
    with pytest.raises(ValueError):
        queue_mail(to="a@example.org", subject="Hi\r\nBcc: victim@example.org", text="Body")
    with pytest.raises(ValueError):
        queue_mail(to="a@example.org", subject="Hi", text="Body", headers={"X-Note": "a\nb"})


def test_worker_sends_due_mail_and_marks_it_sent(app: Flask, runner, smtp_server: SMTPServer) -> None:
    """`send-mail --once` hands each queued message to the SMTP server once and records it as sent."""
    ids = _queue(2)
    assert "Sent 2" in _run_once(runner)
    assert sorted(m["To"] for m in smtp_server.messages) == ["reader0@example.org", "reader1@example.org"]
    rows = outbox()
    assert [r.id for r in rows] == ids
    assert all(r.status == MailStatus.SENT and r.sent_at and r.attempts == 1 for r in rows)
    _run_once(runner)
    assert len(smtp_server.messages) == 2


def test_worker_sends_text_html_alternative_and_extra_headers(app: Flask, runner, smtp_server: SMTPServer) -> None:
    """A message with HTML becomes multipart/alternative, and extra headers such as List-Unsubscribe go along."""
    unsubscribe = "<https://example.org/unsubscribe/abc>"
    _queue(html="<p>Body</p>", headers={"List-Unsubscribe": unsubscribe, "From": "evil@example.org"})
    _run_once(runner)
    [received] = smtp_server.messages
    assert received.get_content_type() == "multipart/alternative"
    assert received.get_body(("plain",)).get_content().startswith("Body 0")
    assert received.get_body(("html",)).get_content().strip() == "<p>Body</p>"
    assert received["List-Unsubscribe"] == unsubscribe
    assert received["From"] == app.config["MAIL_FROM"]  # extra headers cannot replace the sender
    assert received["Message-ID"].startswith("<outbox.")


@pytest.mark.once  # waits out a real back-off
def test_mail_waits_while_the_server_is_down_and_goes_out_once_when_it_returns(
    app: Flask, runner, smtp_server: SMTPServer
) -> None:
    """SMTP down: nothing is lost, the try is recorded with a back-off; back up: every message arrives exactly once."""
    smtp_server.stop()
    ids = _queue(3)
    before = utcnow()
    assert "Sent 0" in _run_once(runner)
    first, *rest = outbox()
    assert first.status == MailStatus.QUEUED and first.attempts == 1
    assert first.last_error and "@" not in first.last_error
    assert first.send_after >= before + timedelta(seconds=1)  # backed off
    assert [(r.status, r.attempts) for r in rest] == [(MailStatus.QUEUED, 0)] * 2  # the pass stopped: server down
    smtp_server.start()
    assert "Sent 2" in _run_once(runner)  # the first one is still waiting for its back-off
    time.sleep(max(0.0, (first.send_after - utcnow()).total_seconds()) + 0.05)
    assert "Sent 1" in _run_once(runner)
    _run_once(runner)
    assert sorted(m["Message-ID"] for m in smtp_server.messages) == sorted(f"<outbox.{i}@localhost>" for i in ids)
    assert all(r.status == MailStatus.SENT for r in outbox())


@pytest.mark.once  # waits out a real back-off
def test_worker_gives_up_after_the_configured_attempts_and_logs_no_address(
    app: Flask, runner, smtp_server: SMTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    """After MAIL_MAX_ATTEMPTS failed tries the message is marked failed; the log names neither address nor body."""
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    smtp_server.stop()
    [message_id] = _queue()
    caplog.set_level(logging.INFO)
    _run_once(runner)
    time.sleep(1.05)  # the first back-off
    assert "gave up on 1" in _run_once(runner)
    row = db.session.get(OutboxMessage, message_id)
    assert (row.status, row.attempts) == (MailStatus.FAILED, 2)
    smtp_server.start()
    _run_once(runner)
    assert smtp_server.messages == []
    assert "gave up" in caplog.text
    for secret in ("reader0", "example.org", "Hello 0", SECRET_WORDS):
        assert secret not in caplog.text


def test_backoff_doubles_and_is_capped() -> None:
    """Waits grow 1×, 2×, 4× the base, and never beyond six hours."""
    assert [backoff(n, 60).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert backoff(30, 60) == timedelta(hours=6)


def test_mail_not_yet_due_is_left_for_later(app: Flask, runner, smtp_server: SMTPServer) -> None:
    """A message whose send_after lies ahead is not sent by this pass."""
    [message_id] = _queue()
    db.session.get(OutboxMessage, message_id).send_after = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert "Sent 0" in _run_once(runner)
    assert smtp_server.messages == []


def _worker(app: Flask, start: threading.Barrier, reports: list) -> None:
    with app.app_context():
        start.wait()
        reports.append(send_due())
        db.session.remove()


def test_two_workers_never_send_one_message_twice(app: Flask, smtp_server: SMTPServer) -> None:
    """Two workers at once on PostgreSQL share the queue (FOR UPDATE SKIP LOCKED): each message arrives once."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no row locks: Kindred runs a single mail worker there (see README)")
    smtp_server.inbox.delay = 0.02  # so that both workers are busy at the same time
    ids = _queue(30)
    start, reports = threading.Barrier(2), []
    threads = [threading.Thread(target=_worker, args=(app, start, reports)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(m["Message-ID"] for m in smtp_server.messages) == sorted(f"<outbox.{i}@localhost>" for i in ids)
    assert sorted(r.sent for r in reports)[0] > 0, "one worker did all the work: the test proved nothing"
    assert sum(r.sent for r in reports) == 30


def test_console_backend_prints_mail_after_the_request_without_a_worker(
    app: Flask, client, smtp_server: SMTPServer, capsys: pytest.CaptureFixture
) -> None:
    """Under `make run` (MAIL_BACKEND=console) a request's mail is printed right after it commits, marked sent."""
    from tests.factories import make_member

    app.config["MAIL_BACKEND"] = "console"
    member = make_member(email="printed@example.org")
    capsys.readouterr()
    client.post_form("/password-reset", {"email": member.email})
    printed = capsys.readouterr().out
    assert "To: printed@example.org" in printed
    assert "http://localhost/password-reset/" in printed
    assert [r.status for r in outbox()] == [MailStatus.SENT]
    assert smtp_server.messages == []


def test_smtp_backend_leaves_mail_for_the_worker(app: Flask, client, smtp_server: SMTPServer) -> None:
    """With MAIL_BACKEND=smtp a request only queues its mail; the worker sends it."""
    from tests.factories import make_member

    member = make_member()
    client.post_form("/password-reset", {"email": member.email})
    assert [r.status for r in outbox()] == [MailStatus.QUEUED]
    assert db.session.scalar(select(OutboxMessage.attempts)) == 0


def _wait_for(smtp_server: SMTPServer, n: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while len(smtp_server.messages) < n and time.monotonic() < deadline:
        time.sleep(0.1)


# A shell starts background jobs with SIGINT ignored, and Python then raises no KeyboardInterrupt: the worker
# must stop all the same, so it is started that way here.
WITH_SIGINT_IGNORED = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); os.execv(sys.executable, sys.argv[1:])"
)


@pytest.mark.once
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_worker_keeps_polling_until_stopped(
    app: Flask, database_url: str, smtp_server: SMTPServer, stop_signal: signal.Signals
) -> None:
    """`send-mail` without --once runs on: mail queued while it runs goes out at the next poll; Ctrl+C or SIGTERM
    stops it promptly, even when it was started in the background with SIGINT ignored."""
    env = {
        **os.environ,
        "KINDRED_ENV": "testing",
        "TEST_DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server.port),
        "MAIL_POLL_SECONDS": "1",
    }
    command = [sys.executable, "-c", WITH_SIGINT_IGNORED, sys.executable, "-m", "flask", "--app", "wsgi", "send-mail"]
    worker = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _queue(1)
        _wait_for(smtp_server, 1)
        _queue(1)
        _wait_for(smtp_server, 2)
    finally:
        worker.send_signal(stop_signal)
        try:
            out, err = worker.communicate(timeout=10)
        except subprocess.TimeoutExpired:  # never leave it running: the next test would fail for it
            worker.kill()
            out, err = worker.communicate()
            pytest.fail(f"send-mail did not stop within 10 s of {stop_signal.name}; it wrote: {out!r} {err!r}")
    assert len(smtp_server.messages) == 2, err
    assert "Stopped." in out
    assert worker.returncode == 0
    assert all(r.status == MailStatus.SENT for r in outbox())
