"""The LMTP server of `flask receive-mail --lmtp`: each message handled as on standard input, answered per
recipient (250 done, 451 try again later, 554 a fault here)."""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from flask import Flask

from app.ops.receive_mail import EX_OK, EX_TEMPFAIL, MAX_MESSAGE, handle_safely
from app.services.mailin.replies import Incoming

STATUS = {EX_OK: "250 2.0.0 OK", EX_TEMPFAIL: "451 4.3.0 Try again later"}
FAULT = "554 5.3.0 Not handled"


class ReplyHandler:
    """aiosmtpd's handler: the database work runs in one worker thread, one message at a time, off the event loop."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="receive-mail")

    def _one(self, incoming: Incoming) -> str:
        with self.app.app_context():
            return STATUS.get(handle_safely(incoming), FAULT)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        loop = asyncio.get_running_loop()
        raw = envelope.original_content or envelope.content
        raw = raw if isinstance(raw, bytes) else str(raw).encode()
        statuses = []
        for recipient in envelope.rcpt_tos:  # LMTP answers once per recipient
            incoming = Incoming(raw, envelope.mail_from or "", (recipient,))
            statuses.append(await loop.run_in_executor(self.worker, self._one, incoming))
        return "\r\n".join(statuses)


class LMTPController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler, data_size_limit=MAX_MESSAGE, enable_SMTPUTF8=True)


def start(app: Flask, host: str, port: int) -> LMTPController:
    """Start the server in a thread of its own (the tests use this too); stop it with .stop()."""
    # aiosmtpd logs every line it reads at DEBUG, and envelopes (with their reply tokens) at INFO.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = LMTPController(ReplyHandler(app), hostname=host, port=port)
    controller.start()
    return controller


def serve(app: Flask, host: str, port: int) -> None:
    """Run until SIGTERM or Ctrl-C."""
    controller = start(app, host, port)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(f"Receiving reply e-mails by LMTP on {host}:{port}", flush=True)  # noqa: T201
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
