"""Search shows published posts in published topics only: never pending, rejected, hidden or deleted ones, to anyone,
not even to their author or a moderator (they see those in the topic and the review queue)."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models import ContentStatus, Member, Role
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser, found

V, P, R, H, D = (ContentStatus.VISIBLE, ContentStatus.PENDING, ContentStatus.REJECTED, ContentStatus.HIDDEN,
                 ContentStatus.DELETED)  # fmt: skip
# (topic status, reply status) for each state a reply can be in; only the first is published.
STATES = {
    "published": (V, V),
    "pending reply": (V, P),
    "rejected reply": (V, R),
    "hidden reply": (V, H),
    "deleted reply": (V, D),
    "in a pending topic": (P, V),
    "in a rejected topic": (R, V),
    "in a hidden topic": (H, V),
    "in a deleted topic": (D, V),
}
ROLES = ["visitor", "member", "author", "moderator", "admin"]


def _word(state: str) -> str:
    """A word that appears only in this state's reply."""
    return "uniq" + "".join(c for c in state if c.isalpha())


@pytest.fixture
def author(app: Flask) -> Member:
    return make_member(display_name="Ann Author")


@pytest.fixture
def replies(author: Member) -> dict[str, int]:
    """One reply by the author in each state, in one group, each with its own word."""
    group = make_group(members=(author,))
    ids = {}
    for state, (topic_status, reply_status) in STATES.items():
        topic = make_topic(group=group, title="Plain", body="Plain opening", status=topic_status)
        ids[state] = make_post(topic=topic, author=author, body=f"{_word(state)} here", status=reply_status).id
    return ids


@pytest.mark.parametrize("role", ROLES)
def test_only_published_posts_are_found(app: Flask, author: Member, replies: dict[str, int], role: str) -> None:
    """Whoever searches, each state's word finds the reply only when it is published in a published topic."""
    member = {
        "visitor": None,
        "member": make_member(),
        "author": author,
        "moderator": make_member(role=Role.MODERATOR),
        "admin": make_member(role=Role.ADMIN),
    }[role]
    client = browser(app, member)
    seen = {state: found(client, _word(state)) for state in STATES}
    assert seen == {state: {replies[state]} if state == "published" else set() for state in STATES}


@pytest.mark.parametrize("role", ["visitor", "author", "admin"])
def test_result_count_reveals_nothing_unpublished(
    app: Flask, author: Member, replies: dict[str, int], role: str
) -> None:
    """The number of results counts only what is shown: a hidden match cannot be inferred from the total."""
    member = None if role == "visitor" else author if role == "author" else make_member(role=Role.ADMIN)
    page = browser(app, member).get("/search?q=here").get_data(as_text=True)
    assert '<p class="meta" role="status">1 result</p>' in page
