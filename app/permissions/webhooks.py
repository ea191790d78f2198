"""Outgoing webhooks tell other systems what happens here: only staff register, change or test them."""

from __future__ import annotations

from app.permissions.common import Rule, staff_only

RULES: dict[str, Rule] = {
    "manage_webhooks": staff_only,
}
