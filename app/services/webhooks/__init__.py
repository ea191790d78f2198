"""Outgoing webhooks: staff register addresses; public events queue signed deliveries in the event's own
transaction; the send-mail worker (or, in development, the request itself) sends them with back-off.

Producers call `emit(event, data)` (or one of the helpers in `events`) before their commit."""

from app.services.webhooks.queue import EVENTS, emit

__all__ = ["EVENTS", "emit"]
