"""Staff register, change and remove webhooks; every change is audit-logged (the address's host only: the rest of
a webhook address is often a secret of its own, and the signing secret is never logged)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete

from app import permissions
from app.extensions import db
from app.models import Member
from app.models.webhooks import Webhook, WebhookDelivery
from app.services import Checks, ServiceError
from app.services.common.audit import audit
from app.services.content.resources import clean_url
from app.services.webhooks import guard
from app.services.webhooks.queue import EVENTS, queue_test
from app.services.webhooks.sending import send_now

SECRET_MIN, SECRET_MAX = 16, 200
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


def _clean_address(value: str) -> str:
    """An http(s) address (https outside development and testing) that does not name this machine or a private
    network. Names are resolved again, and checked, at every delivery: that check is the one that counts."""
    url = clean_url(value)
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" and current_app.config.get("KINDRED_ENV") not in ("development", "testing"):
        raise ServiceError(_("Webhook addresses must start with https://."), "url")
    if current_app.config["WEBHOOK_ALLOW_PRIVATE"]:
        return url
    host = (parts.hostname or "").rstrip(".").lower()
    ip = guard.literal_ip(host)
    if host in LOCAL_NAMES or host.endswith(".localhost") or (ip is not None and guard.blocked_reason(ip)):
        raise ServiceError(
            _("This address is on this machine or a private network. Webhooks are only sent to public addresses."),
            "url",
        )
    return url


def _clean_secret(value: str, required: bool) -> str | None:
    """A new secret, or None to keep the current one (an empty box when editing)."""
    if not value and not required:
        return None
    if any(char.isspace() or ord(char) < 32 for char in value):
        raise ServiceError(_("The secret cannot contain spaces or control characters."), "secret")
    if not SECRET_MIN <= len(value) <= SECRET_MAX:
        raise ServiceError(
            _("The secret must be %(low)s to %(high)s characters long.", low=SECRET_MIN, high=SECRET_MAX), "secret"
        )
    return value


def _clean_events(events: Sequence[str]) -> list[str]:
    if any(event not in EVENTS for event in events):
        raise ServiceError(_("Choose events from the list."), "events")
    return [event for event in EVENTS if event in events]  # the list's order, each once


def _described(webhook: Webhook) -> dict:
    return {"host": urlsplit(webhook.url).hostname, "events": list(webhook.events)}


def _apply(webhook: Webhook, url: str, secret: str, events: Sequence[str]) -> None:
    checks = Checks()
    clean = checks.run(lambda: _clean_address(url), "")
    new_secret = checks.run(lambda: _clean_secret(secret, webhook.id is None), None)
    chosen: list[str] = checks.run(lambda: _clean_events(events), [])
    checks.settle()
    webhook.url, webhook.events = clean, chosen
    if new_secret is not None:
        webhook.secret = new_secret


def create_webhook(actor: Member, url: str, secret: str, events: Sequence[str]) -> Webhook:
    """Register an address to hear about the chosen public events (none chosen: all of them)."""
    permissions.ensure(actor, "manage_webhooks", None)
    webhook = Webhook(created_by_id=actor.id)
    _apply(webhook, url, secret, events)
    db.session.add(webhook)
    db.session.flush()
    audit(actor, "create_webhook", webhook, after=_described(webhook))
    db.session.commit()
    return webhook


def update_webhook(actor: Member, webhook: Webhook, url: str, secret: str, events: Sequence[str]) -> None:
    """Change the address or events; an empty secret keeps the current one, a new one replaces it."""
    permissions.ensure(actor, "manage_webhooks", webhook)
    before = _described(webhook)
    old_secret = webhook.secret
    _apply(webhook, url, secret, events)
    after = {**_described(webhook), "secret_replaced": webhook.secret != old_secret}
    audit(actor, "edit_webhook", webhook, before=before, after=after)
    db.session.commit()


def delete_webhook(actor: Member, webhook: Webhook) -> None:
    """Remove a webhook and its delivery log; queued deliveries are dropped with it."""
    permissions.ensure(actor, "manage_webhooks", webhook)
    audit(actor, "delete_webhook", webhook, before=_described(webhook))
    db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id))
    db.session.execute(delete(Webhook).where(Webhook.id == webhook.id))
    db.session.commit()


def send_test(actor: Member, webhook: Webhook) -> WebhookDelivery | None:
    """Queue a test delivery and try it at once, so staff see the receiver's answer on the webhook's page."""
    permissions.ensure(actor, "manage_webhooks", webhook)
    delivery = queue_test(webhook)
    audit(actor, "test_webhook", webhook, after={"host": urlsplit(webhook.url).hostname})
    db.session.commit()
    return send_now(delivery.id)
