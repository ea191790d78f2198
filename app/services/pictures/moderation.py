"""A moderator takes one picture off a post, leaving the post and its other pictures in place."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import permissions
from app.extensions import db
from app.models import Member, Picture, Post
from app.services import ServiceError
from app.services.common.audit import audit, notify
from app.services.moderation.notices import ends_sentence
from app.services.moderation.queue import REASON_MAX
from app.services.pictures.files import keys_of, release_files


def remove_picture(moderator: Member, picture: Picture, post: Post, reason: str) -> None:
    """Remove a post's picture (reason required): audit-logged, its author told, its files gone if no row names them."""
    permissions.ensure(moderator, "moderate", post.topic.group)
    if picture.post_id != post.id:
        raise ServiceError(_("This picture does not belong to that post."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Please give a reason: it is kept in the moderation log."), "reason")
    if len(reason) > REASON_MAX or "\x00" in reason:
        raise ServiceError(_("Keep the reason under %(limit)d characters.", limit=REASON_MAX), "reason")
    keys = keys_of([picture])
    audit(
        moderator,
        "remove_picture",
        post,
        reason=reason,
        group_id=post.topic.group_id,
        before={"picture_id": picture.id, "description": picture.alt},
    )
    notify(post.author_id, "picture_removed", _notice(reason), post_id=post.id)
    db.session.delete(picture)
    db.session.commit()
    release_files(keys)


def _notice(reason: str) -> str:
    if ends_sentence(reason):
        return _l("A moderator removed a picture from your post: %(reason)s", reason=reason)
    return _l("A moderator removed a picture from your post: %(reason)s.", reason=reason)
