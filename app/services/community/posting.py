"""Starting topics, replying, editing and deleting posts, with the counters kept in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select

from app import permissions
from app.extensions import db
from app.models import ContentStatus, Group, Member, Post, ReviewKind, Topic
from app.models.base import utcnow
from app.services import Checks, ServiceError
from app.services.common import submissions
from app.services.common.cleaning import clean_body, clean_opening_body, clean_topic_title, slugify
from app.services.common.counters import count_published, uncount_post, uncount_topic
from app.services.common.rows import NEVER_PUBLISHED, delete_rows, only_theirs
from app.services.common.submissions import REPEAT_WINDOW, DuplicateSubmission
from app.services.community.follows import follow_on_posting
from app.services.community.groups import is_member_of
from app.services.community.mentions import cook_with_mentions
from app.services.community.revisions import clean_reason, keep_revision, tell_author
from app.services.drafts.drafts import forget_draft
from app.services.drafts.places import Place
from app.services.members.trust import is_trusted
from app.services.moderation.queue import close_open_reviews, open_review, take_down
from app.services.moderation.screening import screen
from app.services.moderation.verdict import BLOCK, FLAG, HOLD, PUBLISH, Verdict
from app.services.notify.notifications import announce_edited, announce_published
from app.services.pictures.files import keys_of, release_files, topic_picture_keys
from app.services.pictures.uploads import FIELD, Prepared, Upload, attach_pictures, kept_only_if_committed
from app.services.pictures.uploads import prepare_pictures as _prepare
from app.services.webhooks import events as webhook_events

# What a repeat may point to: posts their author still sees with their words (not deleted, hidden or rejected).
STILL_POSTED = (ContentStatus.VISIBLE, ContentStatus.PENDING)


@dataclass(frozen=True)
class Posted:
    """What became of a submitted post: published, flagged for review, or held (urgently, for crisis)."""

    post: Post
    verdict: Verdict

    @property
    def topic(self) -> Topic:
        return self.post.topic

    @property
    def held(self) -> bool:
        return self.verdict.action == HOLD


def _pictures(author: Member, group: Group, uploads: Sequence[Upload], already: int = 0) -> list[Prepared]:
    """The pictures sent with a post, checked and processed (nothing stored yet), if the group takes them."""
    if not uploads:
        return []
    refusal = permissions.why_not(author, "post_pictures", (group, is_trusted(author)))
    if refusal is not None:
        raise ServiceError(str(refusal), FIELD)
    return _prepare(uploads, already)


def _verdict(author: Member, group: Group, text: str, pictures: int = 0, confirmed: Sequence[str] = ()) -> Verdict:
    """Ask the review rules about this text; a blocked text is refused here, before anything is stored. The
    `confirmed` nudge reasons (what the author was asked about and posted anyway) go with a post that is queued
    for another reason, so its moderator sees them; they never queue a post by themselves."""
    verdict = screen(author, text, group_reviews_all=group.review_all_posts, pictures=pictures)
    if verdict.action == BLOCK:
        raise ServiceError(
            _(
                "Your post uses words that are not allowed in this community. Please rephrase it and try again "
                "(see the community guidelines)."
            ),
            "body",
        )
    if verdict.action != PUBLISH:
        for reason in confirmed:
            verdict = verdict.add(PUBLISH, reason)
    return verdict


def _file(post: Post, verdict: Verdict, now: datetime, author: Member) -> None:
    """Publish the new post, or hold it, and open a review item when the rules asked for one."""
    if verdict.action == HOLD:
        post.status = ContentStatus.PENDING
        if post.is_opening:
            post.topic.status = ContentStatus.PENDING
        db.session.flush()
        open_review(post, ReviewKind.HELD_POST, list(verdict.reasons), urgent=verdict.urgent)
        return
    post.status = ContentStatus.VISIBLE
    if post.is_opening:
        post.topic.status = ContentStatus.PENDING  # count_published() makes it visible and counts it
    db.session.flush()
    count_published(post, now, first_time=True)
    announce_published(post)
    webhook_events.topic_published(post)
    if verdict.action == FLAG:
        open_review(post, ReviewKind.FLAGGED_POST, list(verdict.reasons), urgent=verdict.urgent)


def _refuse_repeat(author: Member, place: tuple[ColumnElement[bool], ...], body: str) -> None:
    """The same words from the same member to the same place a moment ago (the Back button and a second click, with
    a fresh form): DuplicateSubmission names the post already there, and nothing is stored twice."""
    query = (
        select(Post.id, Post.raw)
        .join(Topic, Topic.id == Post.topic_id)
        .where(
            Post.author_id == author.id,
            Post.created_at > utcnow() - REPEAT_WINDOW,
            Post.status.in_(STILL_POSTED),
            *place,
        )
        .order_by(Post.id.desc())
        .limit(1)
    )
    latest = db.session.execute(query).first()
    if latest is not None and latest.raw == body:
        raise DuplicateSubmission("post", latest.id)


def _still_posted(post_id: int) -> bool:
    """Is this earlier post still there for its author to be sent to (see STILL_POSTED)?"""
    return db.session.scalar(select(Post.status).where(Post.id == post_id)) in STILL_POSTED


def start_topic(
    author: Member,
    group: Group,
    title: str,
    body: str,
    submission_key: str | None = None,
    pictures: Sequence[Upload] = (),
    confirmed: Sequence[str] = (),
) -> Posted:
    """Create a topic with its opening post (and pictures); published and counted, or held for review.

    With a `submission_key` (see app.services.common.submissions), a second identical submission raises
    DuplicateSubmission instead of creating a second topic."""
    permissions.ensure(author, "start_topic", (group, is_member_of(author, group)))
    checks = Checks()
    title = checks.run(lambda: clean_topic_title(title), "")
    body = checks.run(lambda: clean_opening_body(body), "")
    prepared: list[Prepared] = checks.run(lambda: _pictures(author, group, pictures), [])
    checks.settle()
    verdict = _verdict(author, group, f"{title}\n\n{body}", len(prepared), confirmed)
    _refuse_repeat(author, (Topic.group_id == group.id, Topic.title == title, Post.is_opening.is_(True)), body)
    same = submissions.repeat_key(f"topic-{group.id}-{title}", body, REPEAT_WINDOW)
    submission = submissions.claim(author, submission_key, "post", same, _still_posted)  # first write: twins stop
    now = utcnow()
    topic = Topic(group=group, author=author, title=title, slug=slugify(title), created_at=now, last_activity_at=now)
    post = Post(topic=topic, author=author, raw=body, cooked=cook_with_mentions(body), is_opening=True, created_at=now)
    db.session.add_all([topic, post])
    db.session.flush()
    with kept_only_if_committed(attach_pictures(author, prepared, post_id=post.id)):
        _file(post, verdict, now, author)
        follow_on_posting(author, topic)
        submissions.settle(submission, post.id)
        forget_draft(author, Place("topic", group.id))
        db.session.commit()
    return Posted(post, verdict)


def reply(
    author: Member,
    topic: Topic,
    body: str,
    submission_key: str | None = None,
    pictures: Sequence[Upload] = (),
    confirmed: Sequence[str] = (),
) -> Posted:
    """Add a reply (and its pictures) at the end of a topic; published and counted, or held for review (one per
    submission_key)."""
    permissions.ensure(author, "reply", (topic, is_member_of(author, topic.group)))
    checks = Checks()
    body = checks.run(lambda: clean_body(body), "")
    prepared: list[Prepared] = checks.run(lambda: _pictures(author, topic.group, pictures), [])
    checks.settle()
    verdict = _verdict(author, topic.group, body, len(prepared), confirmed)
    _refuse_repeat(author, (Post.topic_id == topic.id,), body)
    same = submissions.repeat_key(f"reply-{topic.id}", body, REPEAT_WINDOW)
    submission = submissions.claim(author, submission_key, "post", same, _still_posted)  # first write: twins stop
    now = utcnow()
    post = Post(topic=topic, author=author, raw=body, cooked=cook_with_mentions(body), created_at=now)
    db.session.add(post)
    db.session.flush()
    with kept_only_if_committed(attach_pictures(author, prepared, post_id=post.id)):
        _file(post, verdict, now, author)
        follow_on_posting(author, topic)
        submissions.settle(submission, post.id)
        forget_draft(author, Place("reply", topic.id))
        db.session.commit()
    return Posted(post, verdict)


def edit_post(
    editor: Member,
    post: Post,
    body: str,
    title: str | None = None,
    reason: str = "",
    pictures: Sequence[Upload] = (),
    remove: Sequence[int] = (),
    confirmed: Sequence[str] = (),
) -> Posted:
    """Replace a post's text (and the topic title for an opening post), re-cooking it once; add the `pictures` sent
    and take away those whose ids are in `remove`. The edit history keeps every version of the text. A moderator
    editing someone else's post gives a reason, which is logged and sent to the author.

    The review rules look at the new text too: a published post stays up but goes to the queue when the
    rules would have held it, and a rejected post goes back for review (once)."""
    permissions.ensure(editor, "edit_post", post)
    by_moderator = editor.id != post.author_id
    checks = Checks()
    new_title = checks.run(lambda: clean_topic_title(title), None) if post.is_opening and title is not None else None
    body = checks.run(lambda: (clean_opening_body if post.is_opening else clean_body)(body), "")
    reason = checks.run(lambda: clean_reason(reason, required=by_moderator), "")
    removed = [picture for picture in post.pictures if picture.id in set(remove)]
    kept = len(post.pictures) - len(removed)
    prepared: list[Prepared] = checks.run(lambda: _pictures(editor, post.topic.group, pictures, kept), [])
    checks.settle()
    unchanged = body == post.raw and (new_title is None or new_title == post.topic.title)
    if unchanged and not prepared and not removed and post.status != ContentStatus.REJECTED:
        forget_draft(editor, Place("edit", post.id))
        db.session.commit()
        return Posted(post, Verdict())
    verdict = _verdict(editor, post.topic.group, f"{new_title or ''}\n\n{body}", len(prepared), confirmed)
    before, now = (post.raw, post.topic.title), utcnow()
    post.raw, post.cooked = body, cook_with_mentions(body)
    if new_title is not None and new_title != post.topic.title:
        post.topic.title, post.topic.slug = new_title, slugify(new_title)
    if not unchanged:
        number = keep_revision(post, editor, before, reason, now)
        if by_moderator:
            tell_author(editor, post, reason, number)
    post.edited_at = now
    for picture in removed:
        db.session.delete(picture)
    with kept_only_if_committed(attach_pictures(editor, prepared, start=_next_position(post), post_id=post.id)):
        verdict = _review_edit(post, verdict)
        announce_edited(post)  # members newly mentioned in a published post hear about it
        forget_draft(editor, Place("edit", post.id))
        db.session.commit()
    release_files(keys_of(removed))
    return Posted(post, verdict)


def _next_position(post: Post) -> int:
    return max((picture.position for picture in post.pictures), default=-1) + 1


def _review_edit(post: Post, verdict: Verdict) -> Verdict:
    """What an edit means for review: a rejected post goes back to the queue, a held one learns the new reasons,
    a published one is taken down for crisis words or queued for anything else the rules noticed."""
    if post.status == ContentStatus.REJECTED:
        post.status, post.resubmitted = ContentStatus.PENDING, True
        if post.is_opening:
            post.topic.status = ContentStatus.PENDING
        reasons = ["resubmitted after rejection", *verdict.reasons]
        open_review(post, ReviewKind.HELD_POST, reasons, urgent=verdict.urgent)
        return Verdict(HOLD, tuple(reasons), verdict.urgent)
    if post.status == ContentStatus.PENDING and verdict.reasons:
        # Still waiting: its open item learns the new reasons, and goes to the top for crisis words.
        open_review(post, ReviewKind.HELD_POST, list(verdict.reasons), urgent=verdict.urgent)
    elif post.status == ContentStatus.VISIBLE and verdict.action == HOLD and verdict.urgent:
        # Crisis words added by an edit: held like a new crisis post, urgent, until a moderator has looked.
        take_down(post, ContentStatus.PENDING)
        open_review(post, ReviewKind.HELD_POST, [f"after an edit: {r}" for r in verdict.reasons], urgent=True)
    elif post.status == ContentStatus.VISIBLE and verdict.action != PUBLISH:
        open_review(
            post, ReviewKind.FLAGGED_POST, [f"after an edit: {r}" for r in verdict.reasons], urgent=verdict.urgent
        )
    return verdict


def delete_post(member: Member, post: Post) -> bool:
    """Soft-delete the author's own post (a published one leaves a placeholder); one never published goes for good.
    Deleting an opening post nobody answered removes the topic. True when the post is gone for good."""
    permissions.ensure(member, "delete_post", post)
    topic = post.topic
    if post.status in NEVER_PUBLISHED and (not post.is_opening or only_theirs(topic)):
        # Only moderators ever saw it: it goes whole (with its review items), leaving no placeholder behind.
        keys = topic_picture_keys(topic) if post.is_opening else keys_of(post.pictures)
        if post.is_opening:
            delete_rows(db.metadata.tables["topics"], [topic.id])
        else:
            delete_rows(db.metadata.tables["posts"], [post.id])
        db.session.commit()
        release_files(keys)
        return True
    if post.status == ContentStatus.VISIBLE:
        uncount_post(post)
    post.status = ContentStatus.DELETED
    if post.is_opening and topic.reply_count == 0:
        if topic.status == ContentStatus.VISIBLE:
            uncount_topic(topic, opening_visible=False)
        topic.status = ContentStatus.DELETED
    close_open_reviews(post, member, "deleted by its author")
    keys = keys_of(post.pictures)
    for picture in post.pictures:  # the placeholder shows no picture: its files go as well
        db.session.delete(picture)
    db.session.commit()
    release_files(keys)
    return False
