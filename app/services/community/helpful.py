"""Helpful marks from members and the one reply per topic that staff or a mentor recommend."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import ColumnElement, delete, exists, false, select, update
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.database.dml import insert_once, rows_matched
from app.extensions import db
from app.models import HelpfulMark, Member, Post
from app.services import ServiceError
from app.services.common.audit import audit, notify
from app.services.common.counters import count_helpful
from app.text.lazy import lazy_text as _l

ALREADY_MARKED = _l("You already marked this reply as helpful.")
NOT_MARKED = _l("You have not marked this reply as helpful, so there is nothing to undo.")


def marked_by_viewer(viewer: Any) -> ColumnElement[bool]:
    """Per post in a query: did this reader mark it helpful? (false for visitors, without a lookup)."""
    if not isinstance(viewer, Member):
        return false()
    return exists().where(HelpfulMark.post_id == Post.id, HelpfulMark.member_id == viewer.id)


def has_marked(member: Member, post: Post) -> bool:
    return db.session.get(HelpfulMark, (post.id, member.id)) is not None


def mark_helpful(member: Member, post: Post) -> None:
    """Record the member's thanks once; the post and its author count it in the same transaction."""
    permissions.ensure(member, "mark_helpful", post)
    # Only the request that stored the mark counts it: the same member's second click, even at the same moment,
    # finds it there and changes nothing.
    if not insert_once(HelpfulMark, post_id=post.id, member_id=member.id, receiver_id=post.author_id):
        db.session.rollback()
        raise ServiceError(str(ALREADY_MARKED))
    count_helpful(post, +1)
    # Who marked it stays private: the author learns only that a reply of theirs helped someone.
    notify(
        post.author_id,
        "helpful",
        lazy_gettext('A member found your reply in "%(title)s" helpful.', title=post.topic.title),
        f"/p/{post.id}",
    )
    db.session.commit()


def unmark_helpful(member: Member, post: Post) -> None:
    """Take back one's own mark (always allowed: it is the member's own action being undone)."""
    removed = rows_matched(
        delete(HelpfulMark).where(HelpfulMark.post_id == post.id, HelpfulMark.member_id == member.id)
    )
    if not removed:
        db.session.rollback()
        raise ServiceError(str(NOT_MARKED))
    count_helpful(post, -1)
    db.session.commit()


def recommend(actor: Member, post: Post) -> None:
    """Make this reply the topic's "recommended by staff" answer, replacing any earlier one."""
    permissions.ensure(actor, "recommend_post", post)
    already = _("This reply is already the recommended one.")
    if post.recommended:
        raise ServiceError(already)
    others = (Post.topic_id == post.topic_id, Post.recommended, Post.id != post.id)  # this one: decided below
    previous = db.session.scalar(select(Post.id).where(*others))
    if previous is not None:  # cleared first: the unique index allows one per topic at any moment
        db.session.execute(update(Post).where(Post.id == previous).values(recommended=False))
    # Conditional, so that of two simultaneous recommendations of this reply one audits and notifies.
    if not rows_matched(update(Post).where(Post.id == post.id, Post.recommended.is_(False)).values(recommended=True)):
        db.session.rollback()
        raise ServiceError(already)
    audit(actor, "recommend_post", post, group_id=post.topic.group_id, before={"recommended_post": previous})
    notify(
        post.author_id, "recommended", lazy_gettext("Your reply was recommended by staff. Thank you!"), f"/p/{post.id}"
    )
    try:
        db.session.commit()
    except IntegrityError as error:  # someone recommended another reply of the topic at the same moment
        db.session.rollback()
        raise ServiceError(_("Another reply was recommended just now. Please reload the topic.")) from error


def unrecommend(actor: Member, post: Post) -> None:
    """Withdraw the recommendation, e.g. when a better answer arrives or the advice is out of date."""
    permissions.ensure(actor, "recommend_post", post)
    # Conditional, so that of two simultaneous withdrawals one audits.
    if not rows_matched(update(Post).where(Post.id == post.id, Post.recommended.is_(True)).values(recommended=False)):
        db.session.rollback()
        raise ServiceError(_("This reply is not recommended."))
    audit(actor, "unrecommend_post", post, group_id=post.topic.group_id)
    db.session.commit()
