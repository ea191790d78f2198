"""Queueing deliveries, inside the caller's transaction: nothing leaves unless the event itself is committed."""

from __future__ import annotations

import json
from typing import Any

from flask import g, has_app_context
from sqlalchemy import select

from app.extensions import db
from app.models.base import utcnow
from app.models.webhooks import Webhook, WebhookDelivery
from app.text.lazy import lazy_text as _l

# The events staff may choose, with what the form calls them.
EVENTS = {
    "topic.created": _l("A new topic in a public group"),
    "resource.featured": _l("A post featured as a resource"),
    "announcement.published": _l("An announcement published"),
    "event.created": _l("An event created"),
}
TEST_EVENT = "webhook.test"


def body_of(event: str, data: dict[str, Any]) -> str:
    """The JSON every receiver of this event gets; fixed now so that each retry sends, and signs, the same bytes."""
    envelope = {"event": event, "occurred_at": utcnow().isoformat(timespec="seconds"), "data": data}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _queue(webhook: Webhook, event: str, body: str, post_id: int | None = None) -> WebhookDelivery:
    delivery = WebhookDelivery(webhook_id=webhook.id, event=event, body=body, post_id=post_id)
    db.session.add(delivery)
    if has_app_context():
        g.kindred_webhook_queued = True  # development sends it right after the request (app/ops/mail_worker.py)
    return delivery


def emit(event: str, data: dict[str, Any], *, post_id: int | None = None) -> list[WebhookDelivery]:
    """Queue `event` for every webhook that listens to it; sent only if the caller's transaction commits.
    `data` must hold only what a visitor to the site could see; `post_id` names the post it is about, which must
    still be public when each try is made."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    hooks = [hook for hook in db.session.scalars(select(Webhook).order_by(Webhook.id)) if hook.wants(event)]
    if not hooks:
        return []
    body = body_of(event, data)
    return [_queue(hook, event, body, post_id) for hook in hooks]


def queue_test(webhook: Webhook) -> WebhookDelivery:
    """A harmless delivery to this webhook only, whatever events it listens to, to check the receiver."""
    return _queue(webhook, TEST_EVENT, body_of(TEST_EVENT, {"message": "A test delivery from Kindred."}))
