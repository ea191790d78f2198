"""Several workers share the webhook queue on PostgreSQL, as they share the mail outbox: each delivery goes once."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask

from app.extensions import db
from app.services.webhooks import emit
from app.services.webhooks.sending import WebhookReport, send_due_webhooks
from tests.webhooks.conftest import make_webhook
from tests.webhooks.receiver import Receiver


class SlowReceiver(Receiver):
    """Answers a little late, so that both workers are busy at the same time."""

    def start(self) -> SlowReceiver:
        super().start()
        assert self.server is not None
        handler = self.server.RequestHandlerClass
        original = handler.do_POST  # type: ignore[attr-defined]

        def slow(request_handler) -> None:  # noqa: ANN001
            time.sleep(0.02)
            original(request_handler)

        handler.do_POST = slow  # type: ignore[attr-defined]
        return self


def _worker(app: Flask, start: threading.Barrier, reports: list[WebhookReport]) -> None:
    with app.app_context():
        start.wait()
        reports.append(send_due_webhooks())
        db.session.remove()


def test_two_workers_never_send_one_delivery_twice(app: Flask) -> None:
    """Two workers at once (FOR UPDATE SKIP LOCKED): each of 30 deliveries reaches the receiver exactly once."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no row locks: Kindred runs a single worker there (see README)")
    receiver = SlowReceiver().start()
    try:
        make_webhook(receiver.url)
        for number in range(30):
            emit("event.created", {"event": {"id": number}})
        db.session.commit()
        start, reports = threading.Barrier(2), []
        threads = [threading.Thread(target=_worker, args=(app, start, reports)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        delivered = [request.headers["X-Kindred-Delivery"] for request in receiver.received]
        assert len(delivered) == len(set(delivered)) == 30
        assert min(report.sent for report in reports) > 0, "one worker did all the work: the test proved nothing"
    finally:
        receiver.stop()
