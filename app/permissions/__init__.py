"""Every "may this member do that?" answer lives here: views and templates ask, they never check roles.

Each rule returns None when the action is allowed, or a sentence explaining why not, so a refusal can always tell
the member what to do about it. Rules read as a ladder of early returns and live in one module per domain, named as
in `app/services/`; `filters` holds the same rules as WHERE clauses for lists, and `routes` the per-page gate.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort

from app.models import Post, Topic
from app.permissions import (
    bookmarks,
    community,
    content,
    event_questions,
    events,
    identities,
    members,
    mentoring,
    messages,
    moderation,
    passkeys,
    pictures,
    revisions,
    sharing,
    webhooks,
)
from app.permissions.common import Rule, as_member, moderated_group_ids
from app.permissions.events import visible_event_filter
from app.permissions.filters import (
    is_public_group,
    is_public_topic,
    public_post_filter,
    readable_group_filter,
    readable_post_filter,
    searchable_post_filter,
    suggestible_member_filter,
    visible_topic_filter,
)
from app.permissions.refusals import (
    ARCHIVED,
    GUIDELINES_CHANGED,
    LOCKED,
    MEMBERS_ONLY,
    MEMBERS_ONLY_PROFILE,
    NOT_JOINED,
    NOT_MODERATOR,
    NOT_YOUR_GROUP,
    OWN_POST_FLAG,
    SECOND_FACTOR_FIRST,
    SIGN_IN,
    SUSPENDED,
    UNCONFIRMED,
)
from app.permissions.routes import MENTORING, PUBLIC, SIGNED_IN, STAFF, TEAM, access, route_refusal
from app.permissions.two_factor import enrolment_required, forget_second_factor, has_passkey, has_second_factor


def _gather(*domains: dict[str, Rule]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for domain in domains:
        overlap = rules.keys() & domain.keys()
        if overlap:
            raise RuntimeError(f"actions defined twice: {sorted(overlap)}")
        rules.update(domain)
    return rules


RULES = _gather(
    bookmarks.RULES,
    community.RULES,
    content.RULES,
    identities.RULES,
    event_questions.RULES,
    events.RULES,
    members.RULES,
    mentoring.RULES,
    messages.RULES,
    moderation.RULES,
    passkeys.RULES,
    pictures.RULES,
    revisions.RULES,
    sharing.RULES,
    webhooks.RULES,
)


def why_not(actor: Any, action: str, target: Any) -> str | None:
    """The reason `actor` may not do `action` to `target`, or None when they may."""
    return RULES[action](as_member(actor), target)


def can(actor: Any, action: str, target: Any) -> bool:
    """True when `actor` (a Member, or a visitor) may do `action` to `target`."""
    return why_not(actor, action, target) is None


def ensure(actor: Any, action: str, target: Any) -> None:
    """Abort with 403 and the reason when the action is not allowed."""
    reason = why_not(actor, action, target)
    if reason is not None:
        deny(reason)


def ensure_visible(actor: Any, target: Topic | Post) -> None:
    """Things the actor may not see answer 404, so their existence is not revealed; a visitor in a members-only
    group is asked to sign in instead (403 with the reason, which the error page turns into a sign-in prompt), and
    a team member without the second factor their role requires is sent to set it up (the error handler again)."""
    action = "view_topic" if isinstance(target, Topic) else "view_post"
    reason = why_not(actor, action, target)
    if reason in (MEMBERS_ONLY, SECOND_FACTOR_FIRST):
        deny(reason)
    if reason is not None:
        abort(404)


def deny(reason: str) -> NoReturn:
    abort(403, description=reason)


__all__ = [
    "ARCHIVED",
    "GUIDELINES_CHANGED",
    "LOCKED",
    "MENTORING",
    "MEMBERS_ONLY",
    "MEMBERS_ONLY_PROFILE",
    "NOT_JOINED",
    "NOT_MODERATOR",
    "NOT_YOUR_GROUP",
    "OWN_POST_FLAG",
    "PUBLIC",
    "RULES",
    "SECOND_FACTOR_FIRST",
    "SIGNED_IN",
    "SIGN_IN",
    "STAFF",
    "SUSPENDED",
    "TEAM",
    "UNCONFIRMED",
    "access",
    "can",
    "deny",
    "ensure",
    "enrolment_required",
    "ensure_visible",
    "forget_second_factor",
    "has_passkey",
    "has_second_factor",
    "is_public_group",
    "is_public_topic",
    "moderated_group_ids",
    "public_post_filter",
    "readable_group_filter",
    "readable_post_filter",
    "route_refusal",
    "searchable_post_filter",
    "suggestible_member_filter",
    "visible_event_filter",
    "visible_topic_filter",
    "why_not",
]
