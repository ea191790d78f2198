"""Mentoring: who welcomes new members and checks in on members after a crisis-routed post.

Mentors get a list and two buttons, nothing more: no power to hide, delete, suspend or see what waits for review.
"""

from __future__ import annotations

from app.models import Member, Post
from app.permissions.common import Rule, is_mentoring
from app.permissions.community import view_post
from app.permissions.refusals import NOT_MENTORING, SIGN_IN


def mentor(member: Member | None, target: object) -> str | None:
    if member is None:
        return SIGN_IN
    # Mentors and the moderating team, once any second factor their role requires is set up.
    return None if is_mentoring(member) else NOT_MENTORING


def welcome_post(member: Member | None, post: Post) -> str | None:
    if (reason := mentor(member, post)) is not None:
        return reason
    # Only what the mentor could read anyway can be claimed or welcomed.
    return view_post(member, post)


RULES: dict[str, Rule] = {
    "mentor": mentor,
    "welcome_post": welcome_post,
}
