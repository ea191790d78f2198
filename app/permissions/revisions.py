"""Edit history: who may read a post's earlier versions, and who may erase one of them."""

from __future__ import annotations

from flask import has_request_context, request

from app.extensions import db
from app.models import ContentStatus, Member, Post
from app.models.revisions import PostRevision
from app.models.settings import Setting
from app.permissions.common import Rule, moderates
from app.permissions.community import view_post
from app.permissions.refusals import SIGN_IN
from app.text.lazy import lazy_text as _l

# The community setting (staff's, on the moderation settings page) that opens every history to signed-in members.
OPEN_HISTORY_SETTING = "revisions_open_to_members"
NOT_YOURS = _l("Only the author, the group's moderators and staff can see the earlier versions of this post.")


def _history_open_to_members() -> bool:
    """Staff's setting, read once per request: a topic page may ask about each of its posts."""
    cache = request.environ if has_request_context() else {}
    if OPEN_HISTORY_SETTING not in cache:
        row = db.session.get(Setting, OPEN_HISTORY_SETTING)
        cache[OPEN_HISTORY_SETTING] = row is not None and row.value == "1"
    return cache[OPEN_HISTORY_SETTING]


def view_revisions(member: Member | None, post: Post) -> str | None:
    # Nobody reads the history of a post they may not read.
    if (reason := view_post(member, post)) is not None:
        return reason
    if member is None:
        return SIGN_IN
    # The author, and the group's moderators (staff moderate every group), see every version.
    if post.author_id == member.id or moderates(member, post.topic.group_id):
        return None
    # Others only of a published post, and only when staff opened histories to every member.
    if post.status == ContentStatus.VISIBLE and _history_open_to_members():
        return None
    return NOT_YOURS


def redact_revision(member: Member | None, target: tuple[Post, PostRevision, int]) -> str | None:
    post, revision, latest = target
    if member is None:
        return SIGN_IN
    # Their own words only: the author decides what of their past text goes.
    if post.author_id != member.id:
        return _l("Only the author of a post can erase one of its earlier versions.")
    # The current text is changed by editing, not erased from the history.
    if revision.number == latest:
        return _l("This is the current version: edit the post to change it.")
    if revision.redacted:
        return _l("This version was already erased.")
    return None


RULES: dict[str, Rule] = {
    "view_revisions": view_revisions,
    "redact_revision": redact_revision,
}
