"""The review queue: opening items and deciding them, each decision one transaction with its audit record."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import select, update
from werkzeug.exceptions import Forbidden

from app import permissions
from app.database.dml import rows_matched
from app.extensions import db
from app.models import ContentStatus, Member, Post
from app.models.base import utcnow
from app.models.moderation import ReviewEvent, ReviewItem, ReviewKind, ReviewStatus
from app.services import ServiceError
from app.services.common.audit import audit, notify
from app.services.common.cleaning import clean_body
from app.services.common.counters import count_published, uncount_post, uncount_topic
from app.services.community.mentions import cook_with_mentions
from app.services.community.revisions import keep_revision
from app.services.moderation.notices import hidden_notice, rejected_notice, stored_note
from app.services.notify.notifications import announce_published
from app.services.webhooks import events as webhook_events
from app.text.lazy import lazy_text as _l

REASON_MAX = 1000


def open_review(
    post: Post, kind: ReviewKind, reasons: list[str], *, urgent: bool = False, actor: Member | None = None
) -> ReviewItem:
    """Queue a post for review, or add to its open item: there is never more than one open item per post."""
    item = db.session.scalar(
        select(ReviewItem).where(ReviewItem.post_id == post.id, ReviewItem.status == ReviewStatus.OPEN)
    )
    if item is None:
        item = ReviewItem(kind=kind, post=post, group_id=post.topic.group_id, urgent=urgent, reasons=list(reasons))
        db.session.add(item)
        action = "opened"
    else:
        item.reasons = [*item.reasons, *(r for r in reasons if r not in item.reasons)]
        item.urgent = item.urgent or urgent
        item.version += 1
        action = "added to"
    db.session.add(ReviewEvent(item=item, actor_id=actor.id if actor else None, action=action, note="; ".join(reasons)))
    return item


def close_open_reviews(post: Post, actor: Member, note: str) -> None:
    """The post is gone (deleted by its author): nothing is left for a moderator to decide."""
    for item in db.session.scalars(
        select(ReviewItem).where(ReviewItem.post_id == post.id, ReviewItem.status == ReviewStatus.OPEN)
    ):
        item.status, item.decided_at, item.version = ReviewStatus.DISMISSED, utcnow(), item.version + 1
        db.session.add(ReviewEvent(item=item, actor_id=actor.id, action="closed", note=note))


@dataclass(frozen=True)
class Decision:
    action: str  # approve, reject, hide, dismiss
    note: str = ""  # the moderator's own words
    new_body: str | None = None  # "edit, then approve"
    guideline: str = ""  # the English value of the guideline chosen from the list, if any


STATUS_AFTER = {
    "approve": ReviewStatus.APPROVED,
    "reject": ReviewStatus.REJECTED,
    "hide": ReviewStatus.HIDDEN,
    "dismiss": ReviewStatus.DISMISSED,
}


def decide(moderator: Member, item_id: int, decision: Decision, *, seen_version: int | None = None) -> ReviewItem:
    """Apply one decision to an open item. Exactly one of two simultaneous decisions wins; the other is told."""
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        raise ServiceError(_("This review item no longer exists."))
    permissions.ensure(moderator, "moderate", item.group)
    if decision.action not in STATUS_AFTER:
        raise ServiceError(_("Unknown decision."))
    if decision.action == "dismiss" and item.kind == ReviewKind.HELD_POST:
        # "Keep published" means nothing for a post that never was: it would wait, unseen, forever.
        raise ServiceError(_("A held post cannot be dismissed: approve, reject or hide it."))
    note = stored_note(decision.guideline, decision.note)
    if decision.action == "reject" and not note:
        raise ServiceError(_("Please say why the post is rejected: the author will see your reason."), "note")
    if len(note) > REASON_MAX or "\x00" in note:
        raise ServiceError(_("Keep the reason under %(limit)d characters.", limit=REASON_MAX), "note")
    if decision.new_body is not None:  # check the edited text before the item is claimed
        decision = Decision(decision.action, decision.note, clean_body(decision.new_body), decision.guideline)
    _claim(item, moderator, decision, note, seen_version)
    post = item.post
    before = {"status": post.status.value, "raw": post.raw if decision.new_body is not None else None}
    _APPLY[decision.action](moderator, post, decision, note)
    db.session.add(ReviewEvent(item=item, actor_id=moderator.id, action=decision.action, note=note))
    after = {"status": post.status.value, "raw": post.raw if decision.new_body is not None else None}
    audit(moderator, f"review_{decision.action}", post, reason=note, group_id=item.group_id, before=before, after=after)
    db.session.commit()
    return item


def _claim(item: ReviewItem, moderator: Member, decision: Decision, note: str, seen_version: int | None) -> None:
    """Mark the item decided with a conditional UPDATE: if someone else got there first, nothing changes."""
    conditions = [ReviewItem.id == item.id, ReviewItem.status == ReviewStatus.OPEN]
    if seen_version is not None:
        conditions.append(ReviewItem.version == seen_version)
    matched = rows_matched(
        update(ReviewItem)
        .where(*conditions)
        .values(
            status=STATUS_AFTER[decision.action],
            decided_by_id=moderator.id,
            decided_at=utcnow(),
            decision_note=note,
            version=ReviewItem.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if matched != 1:
        db.session.rollback()
        db.session.refresh(item)
        if item.status == ReviewStatus.OPEN:
            raise ServiceError(_("This item changed while you were looking at it. Please review it again."))
        raise ServiceError(already_decided(item))
    db.session.refresh(item)


# Who got there first, one whole sentence per outcome: a status word dropped into a sentence cannot be translated.
ALREADY_BY = {
    ReviewStatus.APPROVED: _l("Already approved by %(name)s."),
    ReviewStatus.REJECTED: _l("Already rejected by %(name)s."),
    ReviewStatus.HIDDEN: _l("Already hidden by %(name)s."),
    ReviewStatus.DISMISSED: _l("Already kept published by %(name)s: the flags were judged unfounded."),
}
ALREADY = {
    ReviewStatus.APPROVED: _l("Already approved by another moderator."),
    ReviewStatus.REJECTED: _l("Already rejected by another moderator."),
    ReviewStatus.HIDDEN: _l("Already hidden by another moderator."),
    ReviewStatus.DISMISSED: _l("Already closed: there is nothing left to decide."),
}


def already_decided(item: ReviewItem) -> str:
    """What a moderator is told about an item decided (or closed) before their decision arrived."""
    if item.decided_by is None:  # closed when its post was deleted, or decided by an account since erased
        return str(ALREADY[item.status])
    return _(str.__str__(ALREADY_BY[item.status]), name=item.decided_by.display_name)


def _approve(moderator: Member, post: Post, decision: Decision, note: str) -> None:
    if decision.new_body is not None and decision.new_body != post.raw:
        before, now = (post.raw, post.topic.title), utcnow()
        post.raw, post.cooked = decision.new_body, cook_with_mentions(decision.new_body)
        keep_revision(post, moderator, before, note, now)
        post.edited_at = now
    if post.status != ContentStatus.VISIBLE:
        first_time = post.status == ContentStatus.PENDING
        count_published(post, utcnow(), first_time=first_time)
        post.status = ContentStatus.VISIBLE
        notify(
            post.author_id,
            "post_approved",
            lazy_gettext("Your post was approved and is now visible to the community."),
            url_for("community.post", post_id=post.id),
        )
        if first_time:  # followers and mentioned members hear about a held post once it is published
            announce_published(post)
            webhook_events.topic_published(post)  # a held topic is announced once approved


def _reject(moderator: Member, post: Post, decision: Decision, note: str) -> None:
    take_down(post, ContentStatus.REJECTED)
    notify(
        post.author_id,
        "post_rejected",
        rejected_notice(decision.guideline, decision.note),
        url_for("community.edit", post_id=post.id),
    )


def _hide(moderator: Member, post: Post, decision: Decision, note: str) -> None:
    take_down(post, ContentStatus.HIDDEN)
    notify(post.author_id, "post_hidden", hidden_notice(decision.guideline, decision.note), url_for("main.guidelines"))


def _dismiss(moderator: Member, post: Post, decision: Decision, note: str) -> None:
    """The flags were unfounded: a post hidden by flags comes back."""
    if post.status == ContentStatus.HIDDEN:
        count_published(post, None, first_time=False)  # restoring is not new activity
        post.status = ContentStatus.VISIBLE


_APPLY = {"approve": _approve, "reject": _reject, "hide": _hide, "dismiss": _dismiss}


def take_down(post: Post, status: ContentStatus) -> None:
    """Remove a post from view (and its topic, for an opening post), keeping the counters exact."""
    if post.status == ContentStatus.VISIBLE:
        uncount_post(post)
    post.status = status
    topic = post.topic
    if post.is_opening and topic.status in (ContentStatus.VISIBLE, ContentStatus.PENDING):
        if topic.status == ContentStatus.VISIBLE:
            uncount_topic(topic, opening_visible=False)
        topic.status = status


def decide_many(moderator: Member, item_ids: list[int], decision: Decision) -> tuple[int, list[str]]:
    """Bulk approve/reject: each item in its own transaction; returns how many succeeded and the problems."""
    done, problems = 0, []
    for item_id in item_ids:
        try:
            decide(moderator, item_id, decision)
            done += 1
        except ServiceError as error:
            db.session.rollback()
            problems.append(_("Item %(id)d: %(problem)s", id=item_id, problem=error.message))
        except Forbidden as error:  # an item outside a scoped moderator's groups: skip it, go on
            db.session.rollback()
            problems.append(_("Item %(id)d: %(problem)s", id=item_id, problem=error.description))
    return done, problems
