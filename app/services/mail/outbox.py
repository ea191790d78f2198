"""Sending the outbox: one due message at a time, each in its own transaction, with back-off on failure.

On PostgreSQL the due message is locked with SELECT ... FOR UPDATE SKIP LOCKED, so several workers can run at
once and never send one message twice. SQLite has no row locks: run a single worker there. If the database
fails between the SMTP hand-over and the commit, the message is sent again later (at least once, never lost);
its Message-ID stays the same, so mail programs can recognise the duplicate.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models.base import utcnow
from app.models.mail import MailStatus, OutboxMessage
from app.services.mail.transport import Transport, make_transport

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)
BATCH = 100  # per pass; a long queue drains over several passes without holding anything for long


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    server_down: bool = False


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """Wait before try number `attempts + 1`: base, 2 × base, 4 × base, ... at most six hours."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claim_next() -> OutboxMessage | None:
    """The oldest due message, locked for this worker; other workers skip it instead of waiting."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == MailStatus.QUEUED, OutboxMessage.send_after <= utcnow())
        .order_by(OutboxMessage.send_after, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return db.session.scalars(query).first()


def describe_error(exc: BaseException) -> str:
    """What went wrong, without the server's text: SMTP replies often quote the address."""
    code = getattr(exc, "smtp_code", None) or getattr(exc, "errno", None)
    return f"{type(exc).__name__}" + (f" {code}" if code else "")


def _is_connection_error(exc: BaseException) -> bool:
    """The server is unreachable or hung up: later messages would fail the same way, so the pass stops."""
    return not isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)


def _record_failure(message: OutboxMessage, exc: BaseException, report: SendReport) -> None:
    config = current_app.config
    message.attempts += 1
    message.last_error = describe_error(exc)
    if message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        message.status = MailStatus.FAILED
        report.failed += 1
        log.error("outbox message %s gave up after %s attempts: %s", message.id, message.attempts, message.last_error)
        return
    message.send_after = utcnow() + backoff(message.attempts, config["MAIL_RETRY_SECONDS"])
    report.retrying += 1
    log.warning("outbox message %s attempt %s failed: %s", message.id, message.attempts, message.last_error)


def _send_one(message: OutboxMessage, transport: Transport, report: SendReport) -> None:
    try:
        transport.send(message)
    except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors; ValueError: a malformed header
        transport.reset()
        _record_failure(message, exc, report)
        report.server_down = isinstance(exc, OSError) and _is_connection_error(exc)
    else:
        message.attempts += 1
        message.status, message.sent_at, message.last_error = MailStatus.SENT, utcnow(), None
        report.sent += 1
        log.info("outbox message %s sent", message.id)
    db.session.commit()  # releases the row lock


def send_due(limit: int = BATCH, should_stop: Callable[[], bool] = lambda: False) -> SendReport:
    """Send what is due now, up to `limit` messages; stop early when the server is unreachable or the worker is
    asked to stop (between messages, never halfway through one)."""
    report = SendReport()
    transport = make_transport(current_app.config)
    try:
        while report.sent + report.retrying + report.failed < limit and not report.server_down and not should_stop():
            message = _claim_next()
            if message is None:
                break
            _send_one(message, transport, report)
    finally:
        db.session.rollback()  # nothing claimed stays locked, whatever happened
        transport.close()
    return report
