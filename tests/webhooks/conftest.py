from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.extensions import db
from app.models import Member, Role, Webhook
from tests.conftest import FormClient
from tests.factories import make_member
from tests.support import browser
from tests.webhooks.receiver import Receiver

SECRET = "a-shared-secret-of-some-length"


@pytest.fixture
def app_overrides() -> dict:
    """The tests' receiver listens on loopback, which only this setting lets deliveries reach."""
    return {"WEBHOOK_ALLOW_PRIVATE": True}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def staff_member(app: Flask) -> Member:
    return make_member(role=Role.STAFF, display_name="Sam Staff")


@pytest.fixture
def staff(app: Flask, staff_member: Member) -> FormClient:
    return browser(app, staff_member)


def make_webhook(url: str, events: list[str] | None = None, secret: str = SECRET) -> Webhook:
    webhook = Webhook(url=url, secret=secret, events=events or [])
    db.session.add(webhook)
    db.session.commit()
    return webhook
