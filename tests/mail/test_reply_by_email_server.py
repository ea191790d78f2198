"""`flask receive-mail` as operators run it: the LMTP server as a process of its own, and the posting limits that
make the mail server retry later instead of flooding a topic."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Post
from app.ops.lmtp import start
from tests.factories import group_of, make_member, make_topic
from tests.live_server import free_port
from tests.mail.reply_support import REPLY_PATTERN, SETTINGS, address_for, lmtp_send, reply_mail

ROOT = Path(__file__).resolve().parents[2]


def _replies(topic_id: int) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Post.raw).where(Post.topic_id == topic_id, ~Post.is_opening)))


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("the LMTP server did not start")


@pytest.fixture
def app_overrides() -> dict:
    return dict(SETTINGS)


@pytest.mark.once
def test_the_lmtp_command_posts_a_reply_and_stops_on_sigterm(app: Flask, database_url: str) -> None:
    """`flask receive-mail --lmtp HOST:PORT` in its own process takes a real multipart mail and posts its new text."""
    ann = make_member()
    topic = make_topic(group=group_of(ann))
    mail = reply_mail(ann, address_for(ann, "t", topic.id), "From the server.\n\nSent from my iPhone", "<p>x</p>")
    port = free_port()
    env = {
        **os.environ,
        "KINDRED_ENV": "testing",
        "TEST_DATABASE_URL": database_url,
        "MAIL_REPLY_ADDRESS": REPLY_PATTERN,
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "receive-mail", "--lmtp", f"127.0.0.1:{port}"]
    server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for_port(port, server)
        assert lmtp_send(port, mail) == {}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            out, err = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:  # never leave it running
            server.kill()
            out, err = server.communicate()
    assert _replies(topic.id) == ["From the server."]
    assert server.returncode == 0, err
    assert "From the server" not in out + err


class TestPostingLimits:
    """With rate limits on, the eleventh reply by e-mail within a minute is deferred (451), not lost."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        return {**SETTINGS, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    @pytest.fixture
    def lmtp(self, app: Flask) -> Iterator[int]:
        port = free_port()
        controller = start(app, "127.0.0.1", port)
        yield port
        controller.stop()

    def test_replies_past_the_limit_are_deferred(self, app: Flask, lmtp: int) -> None:
        """Ten replies a minute go through; the next one is answered 451 so the MTA retries it later."""
        ann = make_member()
        topic = make_topic(group=group_of(ann))
        address = address_for(ann, "t", topic.id)
        for n in range(10):
            lmtp_send(lmtp, reply_mail(ann, address, f"Thought number {n}."))
        with pytest.raises(smtplib.SMTPDataError) as deferred:
            lmtp_send(lmtp, reply_mail(ann, address, "One too many."))
        assert deferred.value.smtp_code == 451
        assert len(_replies(topic.id)) == 10
