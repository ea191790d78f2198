"""Moderators lock, move, hide, restore and delete topics, and hide or restore single posts."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import select, update

from app import permissions
from app.extensions import db
from app.models import ContentStatus, Group, Member, Post, Topic
from app.models.moderation import ReviewItem, ReviewStatus
from app.services import ServiceError
from app.services.common.audit import audit, notify
from app.services.common.counters import count_published, count_topic, uncount_topic
from app.services.moderation.notices import ends_sentence, hidden_notice
from app.services.moderation.queue import REASON_MAX


def _reason(text: str, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ServiceError(_("Please give a reason: it is kept in the moderation log."), "reason")
    if len(text) > REASON_MAX or "\x00" in text:
        raise ServiceError(_("Keep the reason under %(limit)d characters.", limit=REASON_MAX), "reason")
    return text


def _opening_visible(topic: Topic) -> bool:
    return (
        db.session.scalar(
            select(Post.id).where(Post.topic_id == topic.id, Post.is_opening, Post.status == ContentStatus.VISIBLE)
        )
        is not None
    )


def set_locked(moderator: Member, topic: Topic, locked: bool, reason: str = "") -> None:
    """Lock a topic against new replies, or open it again."""
    permissions.ensure(moderator, "moderate", topic.group)
    reason = _reason(reason)
    if topic.locked == locked:
        raise ServiceError(_("This topic is already locked.") if locked else _("This topic is not locked."))
    topic.locked = locked
    audit(moderator, "lock_topic" if locked else "unlock_topic", topic, reason=reason, group_id=topic.group_id)
    db.session.commit()


def move_topic(moderator: Member, topic: Topic, destination: Group, reason: str = "") -> None:
    """Move a topic to another group; both groups' counters follow it."""
    permissions.ensure(moderator, "moderate", topic.group)
    permissions.ensure(moderator, "moderate", destination)
    reason = _reason(reason)
    if destination.id == topic.group_id:
        raise ServiceError(_("The topic is already in that group."), "group")
    if destination.archived:
        raise ServiceError(_("Topics cannot be moved into an archived group."), "group")
    before = {"group": topic.group.slug}
    if topic.status == ContentStatus.VISIBLE:
        opening = _opening_visible(topic)
        uncount_topic(topic, opening)
        topic.group_id, topic.group = destination.id, destination
        count_topic(topic, opening)
    else:
        topic.group_id, topic.group = destination.id, destination
    # Open review items go with the topic, to the queue of the moderators who now look after it.
    db.session.execute(
        update(ReviewItem)
        .where(
            ReviewItem.status == ReviewStatus.OPEN,
            ReviewItem.post_id.in_(select(Post.id).where(Post.topic_id == topic.id)),
        )
        .values(group_id=destination.id)
        .execution_options(synchronize_session=False)
    )
    audit(
        moderator,
        "move_topic",
        topic,
        reason=reason,
        group_id=destination.id,
        before=before,
        after={"group": destination.slug},
    )
    db.session.commit()


def set_topic_visibility(moderator: Member, topic: Topic, status: ContentStatus, reason: str) -> None:
    """Hide or delete a whole topic (reason required), or restore a hidden one."""
    permissions.ensure(moderator, "moderate", topic.group)
    reason = _reason(reason, required=status != ContentStatus.VISIBLE)
    if topic.status == status:
        raise ServiceError(_already(status))
    if status == ContentStatus.VISIBLE and topic.status not in (ContentStatus.HIDDEN,):
        raise ServiceError(_("Only hidden topics can be restored."))
    opening = _opening_visible(topic)
    before = {"status": topic.status.value}
    if topic.status == ContentStatus.VISIBLE:
        uncount_topic(topic, opening)
    topic.status = status
    if status == ContentStatus.VISIBLE:
        count_topic(topic, opening)
    else:
        notify(
            topic.author_id,
            f"topic_{status.value}",
            _topic_notice(status, topic.title, reason),
        )
    audit(
        moderator,
        f"{'restore' if status == ContentStatus.VISIBLE else status.value}_topic",
        topic,
        reason=reason,
        group_id=topic.group_id,
        before=before,
        after={"status": status.value},
    )
    db.session.commit()


def set_post_hidden(moderator: Member, post: Post, hidden: bool, reason: str) -> None:
    """Hide one post (reason required) or restore a hidden one."""
    from app.services.moderation.queue import take_down

    permissions.ensure(moderator, "moderate", post.topic.group)
    reason = _reason(reason, required=hidden)
    if hidden:
        if post.status != ContentStatus.VISIBLE:
            raise ServiceError(_("Only visible posts can be hidden."))
        take_down(post, ContentStatus.HIDDEN)
        notify(post.author_id, "post_hidden", hidden_notice("", reason))
    else:
        if post.status != ContentStatus.HIDDEN:
            raise ServiceError(_("Only hidden posts can be restored."))
        count_published(post, None, first_time=False)
        post.status = ContentStatus.VISIBLE
    audit(
        moderator,
        "hide_post" if hidden else "restore_post",
        post,
        reason=reason,
        group_id=post.topic.group_id,
        before={"status": "visible" if hidden else "hidden"},
        after={"status": post.status.value},
    )
    db.session.commit()


def _topic_notice(status: ContentStatus, title: str, reason: str) -> str:
    """What the author is told, in their language, by what happened to their topic."""
    ended = ends_sentence(reason)  # the reason as typed, given its full stop when it has none
    if status == ContentStatus.HIDDEN and ended:
        return lazy_gettext('A moderator hid your topic "%(title)s": %(reason)s', title=title, reason=reason)
    if status == ContentStatus.HIDDEN:
        return lazy_gettext('A moderator hid your topic "%(title)s": %(reason)s.', title=title, reason=reason)
    if ended:
        return lazy_gettext('A moderator removed your topic "%(title)s": %(reason)s', title=title, reason=reason)
    return lazy_gettext('A moderator removed your topic "%(title)s": %(reason)s.', title=title, reason=reason)


def _already(status: ContentStatus) -> str:
    """The refusal for a topic that already has the status asked for, one whole sentence each."""
    if status == ContentStatus.HIDDEN:
        return _("This topic is already hidden.")
    if status == ContentStatus.DELETED:
        return _("This topic is already deleted.")
    if status == ContentStatus.VISIBLE:
        return _("This topic is already visible.")
    return _("This topic already has that status.")
