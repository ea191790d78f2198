"""Who may reach each page at all, declared beside the view with @access; finer rules are the view's to ask.

A view without a declared level is refused to everyone, so a new route cannot be reached by accident; a test walks
the URL map and fails for such a route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

from app.models.member import STAFF_ROLES, Role
from app.permissions.common import as_member, is_mentoring, is_moderator, is_staff, on_team
from app.permissions.refusals import (
    NOT_MENTORING,
    NOT_MODERATOR,
    NOT_STAFF,
    PAGE_UNAVAILABLE,
    SECOND_FACTOR_FIRST,
    SIGN_IN,
)
from app.permissions.two_factor import enrolment_required

PUBLIC, SIGNED_IN, TEAM, STAFF = "public", "signed_in", "team", "staff"
# Mentors' pages: mentors and the moderating team, never plain members.
MENTORING = "mentoring"
LEVELS = frozenset({PUBLIC, SIGNED_IN, MENTORING, TEAM, STAFF})
# Flask's own endpoint, which no view of ours declares.
BUILT_IN = {"static": PUBLIC}

View = TypeVar("View", bound=Callable[..., Any])


def access(level: str) -> Callable[[View], View]:
    """Declare who may reach a view: put it directly under the @bp.route lines."""
    if level not in LEVELS:
        raise ValueError(f"unknown access level {level!r}")

    def declare(view: View) -> View:
        view.access_level = level  # type: ignore[attr-defined]
        return view

    return declare


def access_level(endpoint: str) -> str | None:
    """The level declared for `endpoint` in the running app, or None when it declares none."""
    if endpoint in BUILT_IN:
        return BUILT_IN[endpoint]
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_level", None)


def route_refusal(actor: Any, endpoint: str | None) -> str | None:
    """Why `actor` may not reach `endpoint` at all (None: go on to the view's own checks)."""
    if endpoint is None:
        return None  # no route matched: the 404 handler answers
    level = access_level(endpoint)
    member = as_member(actor)
    if level is None:
        return PAGE_UNAVAILABLE
    if level == PUBLIC:
        return None
    if member is None:
        return SIGN_IN
    # The role would open the page, but not before the member has the second factor it requires.
    by_role = (
        (level in (TEAM, MENTORING) and on_team(member))
        or (level == STAFF and member.role in STAFF_ROLES)
        or (level == MENTORING and member.role == Role.MENTOR)
    )
    if by_role and enrolment_required(member):
        return SECOND_FACTOR_FIRST
    if level == MENTORING and not is_mentoring(member):
        return NOT_MENTORING
    if level == TEAM and not is_moderator(member):
        return NOT_MODERATOR
    if level == STAFF and not is_staff(member):
        return NOT_STAFF
    return None
