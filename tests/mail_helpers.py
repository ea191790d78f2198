"""A real SMTP server for the tests (aiosmtpd on a free port, and the `smtp_server` fixture running one), and
shortcuts to read what the outbox holds."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask import current_app
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from tests.live_server import free_port

LINK_RE = re.compile(r"https?://\S+")


class Inbox:
    """The aiosmtpd handler: keeps every message it accepts, parsed."""

    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[EmailMessage] = []
        self.delay = delay  # per message, so that concurrent workers really overlap
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class SMTPServer:
    """An SMTP server that a test can stop and start again on the same port."""

    def __init__(self, delay: float = 0.0) -> None:
        self.port = free_port()
        self.inbox = Inbox(delay)
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.inbox.messages)


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """An SMTP server running for the test."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


def outbox(to: str | None = None) -> list[OutboxMessage]:
    """Every outbox row (for one address), oldest first, as committed."""
    db.session.rollback()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to is not None:
        query = query.where(OutboxMessage.to_address == to)
    return list(db.session.scalars(query))


def last_link(to: str) -> str:
    """The link in the newest mail to `to`, as a path for the test client."""
    messages = outbox(to)
    assert messages, f"no mail to {to}"
    links = LINK_RE.findall(messages[-1].body_text)
    assert links, "the mail has no link"
    return "/" + links[0].split("/", 3)[3]


def aged_token(purpose: str, payload: dict, age: timedelta) -> str:
    """A genuine token for `purpose`, signed `age` ago (as if the member opened an old e-mail)."""

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - age.total_seconds())

    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"kindred.{purpose}", signer=PastSigner)
    return str(serializer.dumps(payload))


def tampered(path: str) -> str:
    """The same link with the first character of its signature changed (the last one may carry unused bits)."""
    at = path.rindex(".") + 1
    return path[:at] + ("A" if path[at] != "A" else "B") + path[at + 1 :]
