"""Members flag posts that break the guidelines; enough flags from trusted members hide a post for review."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models import ContentStatus, Member, Post
from app.models.moderation import FLAG_REASON_LABELS, Flag, FlagReason, ReviewItem, ReviewKind
from app.services import ServiceError
from app.services.members.trust import trusted_filter
from app.services.moderation.queue import open_review, take_down
from app.services.moderation.settings import get_int
from app.text.lazy import lazy_text as _l

DETAILS_MAX = 500


# What the member is asked when no reason was chosen, by what they are doing.
CHOOSE_WHY = {
    "flagging this post": _l("Please choose why you are flagging this post."),
    "reporting this message": _l("Please choose why you are reporting this message."),
}


def clean_report(reason: str, details: str, doing: str) -> tuple[FlagReason, str]:
    """The reason and details of a flag or a message report, as the moderators will read them."""
    try:
        chosen = FlagReason(reason)
    except ValueError as exc:
        raise ServiceError(_(CHOOSE_WHY[doing]), "reason") from exc
    details = details.strip()
    if "\x00" in details or len(details) > DETAILS_MAX:
        raise ServiceError(_("Please keep the details under %(limit)d characters.", limit=DETAILS_MAX), "details")
    if chosen == FlagReason.OTHER and not details:
        raise ServiceError(_("Please tell the moderators what is wrong."), "details")
    return chosen, details


def flag_post(member: Member, post: Post, reason: str, details: str = "") -> Flag:
    """Record a flag, open or add to the post's review item, and hide the post at the threshold."""
    permissions.ensure(member, "flag_post", post)
    flag_reason, details = clean_report(reason, details, "flagging this post")
    if db.session.scalar(select(Flag.id).where(Flag.post_id == post.id, Flag.member_id == member.id)):
        raise ServiceError(_("You have already flagged this post. Thank you — the moderators will look at it."))
    flag = Flag(post_id=post.id, member_id=member.id, reason=flag_reason, details=details)
    db.session.add(flag)
    label = FLAG_REASON_LABELS[flag_reason]
    open_review(
        post,
        ReviewKind.FLAGGED_POST,
        [f"flagged: {label}" + (f" — {details}" if details else "")],
        urgent=flag_reason == FlagReason.AT_RISK,
        actor=member,
    )
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same member flagging in two tabs at once
        db.session.rollback()
        raise ServiceError(
            _("You have already flagged this post. Thank you — the moderators will look at it.")
        ) from exc
    if post.status == ContentStatus.VISIBLE and _trusted_flags(post) >= get_int("flags_to_hide"):
        take_down(post, ContentStatus.HIDDEN)
    db.session.commit()
    return flag


def _trusted_flags(post: Post) -> int:
    """Trusted members' flags since a moderator last decided about the post: decided flags count no more."""
    decided = select(func.max(ReviewItem.decided_at)).where(ReviewItem.post_id == post.id).scalar_subquery()
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Flag)
            .join(Member, Member.id == Flag.member_id)
            .where(Flag.post_id == post.id, trusted_filter(), or_(decided.is_(None), Flag.created_at > decided))
        )
        or 0
    )
