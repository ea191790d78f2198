"""Sending queued deliveries: one at a time, each in its own transaction, retried with back-off, like the mail
outbox (app/services/mail/outbox.py): on PostgreSQL a due delivery is locked with SKIP LOCKED, so several workers
never send one twice.

Every try is signed afresh: `X-Kindred-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the
webhook's secret, the timestamp in `X-Kindred-Timestamp`, so a receiver can refuse an old (replayed) request.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import requests
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Post
from app.models.base import utcnow
from app.models.webhooks import DeliveryStatus, WebhookDelivery
from app.services.webhooks import guard, transport
from app.services.webhooks.events import still_public

log = logging.getLogger(__name__)
# The wait before each retry: 1 minute, 5, 30, 2 hours, then 12 hours.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12))
MAX_REDIRECTS = 3
BATCH = 100


@dataclass
class WebhookReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


class DeliveryError(Exception):
    """This try failed; the message (ours, never the receiver's text) goes into the delivery's log."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def backoff(attempts: int) -> timedelta:
    """The wait after failed try number `attempts` (1, 2, ...)."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value: receivers compute the same and compare in constant time."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def check_url(url: str) -> tuple[str, int]:
    """The host and port of a deliverable address: http(s) only, https outside development and testing."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    allowed = ("http", "https") if current_app.config.get("KINDRED_ENV") in ("development", "testing") else ("https",)
    if scheme not in allowed or not parts.hostname or parts.username is not None or parts.password is not None:
        raise guard.Refused("refused address: " + ("https only" if scheme == "http" else "not an http(s) address"))
    return parts.hostname, parts.port or (443 if scheme == "https" else 80)


def _headers(delivery: WebhookDelivery, body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Kindred-Webhooks/1",
        "X-Kindred-Event": delivery.event,
        "X-Kindred-Delivery": str(delivery.id),
        "X-Kindred-Timestamp": timestamp,
        "X-Kindred-Signature": sign(delivery.webhook.secret, timestamp, body),
    }


def attempt(delivery: WebhookDelivery) -> int:
    """Make one try; returns the receiver's 2xx status, or raises DeliveryError. Each address (the webhook's, and
    any redirect's, if following them is switched on) is resolved and checked before connecting to it."""
    config = current_app.config
    body = delivery.body.encode()
    url = delivery.webhook.url
    for hop in range(MAX_REDIRECTS + 1):
        try:
            host, port = check_url(url)
            target = guard.target(host, port, allow_private=config["WEBHOOK_ALLOW_PRIVATE"])
            response = transport.post(url, target, body, _headers(delivery, body), config["WEBHOOK_TIMEOUT"])
        except guard.Refused as error:
            raise DeliveryError(str(error)) from error
        except requests.RequestException as error:
            raise DeliveryError(type(error).__name__) from error
        status = response.status_code
        if 200 <= status < 300:
            return status
        location = response.headers.get("Location")
        if 300 <= status < 400 and location and config["WEBHOOK_FOLLOW_REDIRECTS"] and hop < MAX_REDIRECTS:
            url = urljoin(url, location)
            continue
        raise DeliveryError("redirect not followed" if 300 <= status < 400 else "", status)  # the code says it
    raise DeliveryError("too many redirects")


def _withdraw(delivery: WebhookDelivery, report: WebhookReport) -> None:
    """The post it is about was hidden, deleted or made members-only meanwhile: it is never sent."""
    delivery.status, delivery.last_error = DeliveryStatus.FAILED, "withdrawn: no longer public"
    report.failed += 1
    log.info("webhook delivery %s withdrawn: its post is no longer public", delivery.id)


def _record(delivery: WebhookDelivery, report: WebhookReport) -> None:
    if delivery.post_id is not None and not still_public(db.session.get(Post, delivery.post_id)):
        _withdraw(delivery, report)
        return
    delivery.attempts += 1
    delivery.last_attempt_at = utcnow()
    try:
        delivery.response_code = attempt(delivery)
    except DeliveryError as error:
        delivery.response_code, delivery.last_error = error.status, str(error)[:300] or None
        _retry_or_give_up(delivery, delivery.last_error or f"HTTP {error.status}", report)
        return
    delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, utcnow(), None
    report.sent += 1
    log.info("webhook delivery %s sent", delivery.id)


def _retry_or_give_up(delivery: WebhookDelivery, reason: str, report: WebhookReport) -> None:
    if delivery.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status = DeliveryStatus.FAILED
        report.failed += 1
        log.error("webhook delivery %s gave up after %s attempts: %s", delivery.id, delivery.attempts, reason)
        return
    delivery.send_after = utcnow() + backoff(delivery.attempts)
    report.retrying += 1
    log.warning("webhook delivery %s attempt %s failed: %s", delivery.id, delivery.attempts, reason)


def _claim(delivery_id: int | None = None) -> WebhookDelivery | None:
    """The oldest due delivery (or this one, if due), locked for this worker; other workers skip it."""
    query = select(WebhookDelivery).where(
        WebhookDelivery.status == DeliveryStatus.QUEUED, WebhookDelivery.send_after <= utcnow()
    )
    if delivery_id is not None:
        query = query.where(WebhookDelivery.id == delivery_id)
    query = query.order_by(WebhookDelivery.send_after, WebhookDelivery.id).limit(1).with_for_update(skip_locked=True)
    return db.session.scalars(query).first()


def send_due_webhooks(limit: int = BATCH, should_stop: Callable[[], bool] = lambda: False) -> WebhookReport:
    """Send what is due now, up to `limit` deliveries, each committed on its own (releasing its lock)."""
    report = WebhookReport()
    try:
        while report.handled < limit and not should_stop():
            delivery = _claim()
            if delivery is None:
                break
            _record(delivery, report)
            db.session.commit()
    finally:
        db.session.rollback()
    return report


def send_now(delivery_id: int) -> WebhookDelivery | None:
    """Try one delivery at once (staff's "Send a test"); if it fails it waits for its retry like any other."""
    delivery = _claim(delivery_id)
    if delivery is None:
        db.session.rollback()
        return None
    _record(delivery, WebhookReport())
    db.session.commit()
    return delivery
