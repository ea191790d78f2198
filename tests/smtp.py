"""A real SMTP server for the tests: aiosmtpd on a free port, keeping every message it accepts (the `smtp_server`
fixture in conftest.py runs one for a test)."""

from __future__ import annotations

import asyncio
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.live_server import free_port


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
