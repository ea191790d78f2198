"""The permission rules of the staff tools, as a role × action table (app/permissions answers every one)."""

from __future__ import annotations

import pytest
from flask import Flask

from app import permissions
from app.models import Post, Role
from tests.factories import make_member, make_post, member_for

ROLES = ("visitor", "member", "suspended", "mentor", "moderator", "staff", "admin")
STAFF = {"staff", "admin"}
# Who may do each action to someone else's published reply (or to the site, for actions without a target).
TABLE = {
    "manage_pins": STAFF,
    "manage_resources": STAFF,
    "feature_post": STAFF,
    "manage_announcements": STAFF,
    "edit_guidelines": STAFF,
    "view_dashboard": STAFF,
    "view_unanswered": {"mentor", "moderator", *STAFF},
    "recommend_post": {"mentor", *STAFF},
    "mark_helpful": {"member", "mentor", "moderator", *STAFF},
    "dismiss_announcement": {"member", "suspended", "mentor", "moderator", *STAFF},
    "accept_guidelines": {"member", "suspended", "mentor", "moderator", *STAFF},
}


@pytest.fixture
def reply(app: Flask) -> Post:
    return make_post()


@pytest.mark.parametrize("action", TABLE)
@pytest.mark.parametrize("role", ROLES)
def test_role_table(reply: Post, role: str, action: str) -> None:
    """Each role may do exactly what the table says, and a refusal always comes with a sentence saying why."""
    actor = member_for(role)
    reason = permissions.why_not(actor, action, reply)
    assert (reason is None) is (role in TABLE[action])
    assert reason is None or reason.endswith(".")


@pytest.mark.parametrize("role", ["member", "mentor", "staff"])
def test_nobody_marks_or_recommends_their_own_reply(app: Flask, role: str) -> None:
    """Whatever their role, members cannot mark their own reply helpful or recommend it."""
    author = make_member(role=Role(role))
    own = make_post(author=author)
    assert not permissions.can(author, "mark_helpful", own)
    assert not permissions.can(author, "recommend_post", own)


@pytest.mark.parametrize("role", ["member", "mentor", "moderator", "staff", "admin"])
def test_outdated_guidelines_stop_posting_for_every_role(app: Flask, role: str) -> None:
    """A member asked to accept changed guidelines may not start topics or reply, whatever their role."""
    member = make_member(role=Role(role), guidelines_outdated=True)
    reply = make_post()
    assert permissions.why_not(member, "reply", (reply.topic, True)) == permissions.GUIDELINES_CHANGED
    assert permissions.why_not(member, "start_topic", (reply.topic.group, True)) == permissions.GUIDELINES_CHANGED
