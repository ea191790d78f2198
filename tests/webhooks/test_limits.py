"""The "Send a test" button makes an outgoing request each time: it is rate-limited."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models import WebhookDelivery
from tests.support import count_rows
from tests.webhooks.conftest import make_webhook
from tests.webhooks.receiver import Receiver


@pytest.fixture
def app_overrides() -> dict:
    return {"WEBHOOK_ALLOW_PRIVATE": True, "RATELIMIT_ENABLED": True}


def test_send_a_test_is_limited_to_ten_a_minute(app: Flask, staff, receiver: Receiver) -> None:  # noqa: ANN001
    """The eleventh test within a minute gets the 429 page and sends nothing."""
    webhook = make_webhook(receiver.url)
    answers = [staff.post_form(f"/staff/webhooks/{webhook.id}/test").status_code for _ in range(11)]
    assert answers == [302] * 10 + [429]
    assert count_rows(WebhookDelivery) == len(receiver.received) == 10
