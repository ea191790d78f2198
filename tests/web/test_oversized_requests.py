"""Requests over the body limit get the 413 page, for every audience, without the page reading the body again."""

from __future__ import annotations

import pytest

from tests.factories import make_member, make_topic
from tests.support import page_text

ROLES = ("visitor", "member", "moderator", "staff")


@pytest.mark.parametrize("role", ROLES)
def test_oversized_post_answers_413_for_every_audience(client, login_as, role: str) -> None:
    """A body over MAX_CONTENT_LENGTH answers 413 with the too-large page, signed in or not."""
    topic = make_topic()
    if role != "visitor":
        login_as(make_member(role=role) if role != "member" else make_member())
    limit = client.application.config["MAX_CONTENT_LENGTH"]
    response = client.post(f"/t/{topic.id}/reply", data={"body": "x" * (limit + 1), "csrf_token": "x"})
    assert response.status_code == 413
    assert "too much to send" in page_text(response)


def test_too_large_page_names_the_limit(client, login_as) -> None:
    """The page says how much may be sent, in a unit a person reads."""
    login_as(make_member())
    client.application.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = client.post("/logout", data={"q": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "1 MB" in page_text(response)


def test_too_large_page_is_translated(client, login_as) -> None:
    """The size is written the way the member's language writes numbers."""
    member = make_member(locale="fr")
    login_as(member)
    client.application.config["MAX_CONTENT_LENGTH"] = 1536
    response = client.post("/logout", data={"q": "x" * 4000})
    assert response.status_code == 413
    assert "1,5" in page_text(response)
