"""Pictures: who may attach them in a group, and who may see one (exactly who may see what it belongs to)."""

from __future__ import annotations

from typing import Any

from app.models import ContentStatus, Group, Member, Picture, PicturePolicy
from app.models.base import utcnow
from app.permissions.common import Rule, is_staff
from app.permissions.community import view_post
from app.permissions.messages import read_conversation
from app.permissions.refusals import SIGN_IN
from app.text.lazy import lazy_text as _l

PICTURE_UNAVAILABLE = _l("This picture is not available.")


def post_pictures(member: Member | None, target: tuple[Group, bool]) -> str | None:
    group, trusted = target
    if member is None:
        return SIGN_IN
    # Staff choose per group: some groups are for words only, some take pictures from trusted members only.
    if group.picture_policy == PicturePolicy.NOBODY:
        return _l("This group does not take pictures.")
    if group.picture_policy == PicturePolicy.TRUSTED and not trusted:
        return _l("In this group, pictures can be posted by trusted members only.")
    return None


def view_picture(member: Member | None, target: tuple[Picture, Any, Any]) -> str | None:
    """`target` is the picture, the post or message it belongs to, and the reader's place in that message's
    conversation (None for a post, or when not in it): app.media.queries loads them together."""
    picture, parent, place = target
    # A post's pictures are seen by exactly those who see the post; a deleted post leaves no picture behind.
    if picture.post_id is not None:
        if parent is None or parent.status == ContentStatus.DELETED:
            return PICTURE_UNAVAILABLE
        return view_post(member, parent)
    # A private message's pictures are for the people in its conversation only, and go with a removed message.
    if picture.message_id is not None:
        if parent is None or parent.removed_at is not None:
            return PICTURE_UNAVAILABLE
        return read_conversation(member, place)
    # A library page's pictures are for everyone while the entry is in the library; archived, for staff only.
    if picture.resource_id is not None:
        if parent is None or (parent.archived and not is_staff(member)):
            return PICTURE_UNAVAILABLE
        return None
    # An announcement's pictures are for everyone while its banner runs; once it has ended, for staff only.
    if picture.announcement_id is not None:
        if parent is None:
            return PICTURE_UNAVAILABLE
        running = parent.ends_at is None or parent.ends_at > utcnow()
        return None if running or is_staff(member) else PICTURE_UNAVAILABLE
    return PICTURE_UNAVAILABLE


RULES: dict[str, Rule] = {
    "post_pictures": post_pictures,
    "view_picture": view_picture,
}
