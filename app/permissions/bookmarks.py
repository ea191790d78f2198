"""Bookmarks: a member keeps what they may read, and nobody else ever sees or touches their bookmarks."""

from __future__ import annotations

from app.models import Bookmark, ContentStatus, Member, Post, Topic
from app.permissions.common import Rule
from app.permissions.community import view_post, view_topic
from app.permissions.refusals import SIGN_IN
from app.text.lazy import lazy_text as _l

NOT_YOURS = _l("This bookmark is not yours.")
UNAVAILABLE = _l("This is no longer available.")


def _published(target: Topic | Post) -> bool:
    """Published, and (for a post) in a published topic: anything else is not for keeping or showing."""
    if isinstance(target, Post):
        return target.status == ContentStatus.VISIBLE and target.topic.status == ContentStatus.VISIBLE
    return target.status == ContentStatus.VISIBLE


def bookmark(member: Member | None, target: Topic | Post) -> str | None:
    # Bookmarks belong to an account.
    if member is None:
        return SIGN_IN
    # Only what the member may read, and only once it is published (a held post may never appear).
    reason = view_post(member, target) if isinstance(target, Post) else view_topic(member, target)
    if reason is not None:
        return reason
    return None if _published(target) else UNAVAILABLE


def manage_bookmark(member: Member | None, target: Bookmark) -> str | None:
    if member is None:
        return SIGN_IN
    # Private to their owner: moderators and staff included, nobody else reads, edits or removes them.
    return None if target.member_id == member.id else NOT_YOURS


def open_bookmark(member: Member | None, target: Bookmark) -> str | None:
    """May the list show what the bookmark points at (title, author, link), or only "no longer available"?"""
    if (reason := manage_bookmark(member, target)) is not None:
        return reason
    # Hidden, pending, deleted, or out of the member's reach since: never its title or text.
    kept = target.post if target.post_id is not None else target.topic
    if kept is None:
        return UNAVAILABLE
    return bookmark(member, kept)


RULES: dict[str, Rule] = {
    "bookmark": bookmark,
    "manage_bookmark": manage_bookmark,
    "open_bookmark": open_bookmark,
}
