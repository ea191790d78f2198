"""Queueing e-mail in the outbox, inside the caller's transaction."""

from __future__ import annotations

from flask import g, has_app_context

from app.extensions import db
from app.models.mail import OutboxMessage


def queue_mail(
    *, to: str, subject: str, text: str, html: str | None = None, headers: dict[str, str] | None = None
) -> OutboxMessage:
    """Add an e-mail to the outbox; it is sent only if the caller's transaction commits (no commit here)."""
    for value in (to, subject, *(headers or {}).keys(), *(headers or {}).values()):
        if "\r" in value or "\n" in value:  # a line break in a header would let text inject headers
            raise ValueError("e-mail headers cannot contain line breaks")
    message = OutboxMessage(to_address=to, subject=subject, body_text=text, body_html=html, headers=dict(headers or {}))
    db.session.add(message)
    if has_app_context():
        # Lets the console backend (development) deliver right after the request, without a worker.
        g.kindred_mail_queued = True
    return message
