"""Uploads are limited per member: 30 pictures an hour, across every composer."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.factories import make_group, make_member, make_topic
from tests.pictures.images import png, upload_form
from tests.support import browser


@pytest.fixture
def app_overrides() -> dict:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


def test_thirty_pictures_an_hour_then_429(app: Flask, uploads: Path) -> None:
    """Seven replies of four pictures pass (28); the next four would make 32 and get the 429 page."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    four = [(png(colour=(n, 0, 0)), f"{n}.png", f"Picture {n}") for n in range(4)]
    for n in range(7):
        assert upload_form(client, f"/t/{topic.id}/reply", {"body": f"Reply {n}"}, *four).status_code == 302
    response = upload_form(client, f"/t/{topic.id}/reply", {"body": "One more"}, *four)
    assert response.status_code == 429
    assert upload_form(client, f"/t/{topic.id}/reply", {"body": "Words only"}).status_code == 302
