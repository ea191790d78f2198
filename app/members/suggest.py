"""Names suggested as a member types a message recipient or an @mention (static/suggest.js asks; without
JavaScript the plain field works the same). Display names only: never an e-mail address, never anyone the asker
may not write to (permissions.filters.suggestible_member_filter)."""

from __future__ import annotations

from flask import jsonify, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import select

from app import permissions
from app.extensions import db, limiter
from app.members import bp
from app.models import Member
from app.permissions import SIGNED_IN, access
from app.services.members.identity import display_name_key
from app.services.members.trust import is_trusted
from app.services.messages.conversations import ALWAYS_REACHABLE_ROLES, has_interacted

MOST = 8
QUERY_MAX = 40


def _member_key() -> str:
    return f"member:{current_user.id}" if current_user.is_authenticated else get_remote_address()


@bp.route("/members/suggest")
@access(SIGNED_IN)
@limiter.limit("60 per minute; 1000 per day", key_func=_member_key)
def suggest():  # noqa: ANN201
    """Up to eight members whose display name starts with `q`, as JSON: {"members": [{"name": ...}]}."""
    permissions.ensure(current_user, "suggest_members", None)
    typed = " ".join(request.args.get("q", "").split())[:QUERY_MAX]
    if not typed or "\x00" in typed:
        return jsonify(members=[])
    query = (
        select(Member)
        .where(
            Member.display_name_key.startswith(display_name_key(typed), autoescape=True),
            permissions.suggestible_member_filter(current_user),
        )
        .order_by(Member.display_name_key)
        .limit(MOST * 3 if request.args.get("for") == "message" else MOST)
    )
    found = list(db.session.scalars(query))
    if request.args.get("for") == "message" and not is_trusted(current_user):
        # A newcomer may start conversations only with people they talked with, and the team: suggest no others.
        found = [m for m in found if m.role in ALWAYS_REACHABLE_ROLES or has_interacted(current_user.id, m.id)]
    response = jsonify(members=[{"name": member.display_name} for member in found[:MOST]])
    response.headers["Cache-Control"] = "private, no-store"
    return response
