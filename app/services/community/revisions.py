"""Edit history: every edit keeps the new version beside the earlier ones; an author may erase an old version.

Version 1 is the text as it was before the first edit that kept history (the original, for posts written since),
and the highest number is always the current text. Search, feeds and notifications read the post itself, never
this table, so they only ever know the current words.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app import permissions
from app.extensions import db
from app.models import Member, Post
from app.models.base import utcnow
from app.models.revisions import PostRevision
from app.services import ServiceError
from app.services.common.audit import audit, notify
from app.services.search.index import forget_replaced_words

REASON_MAX = 1000


def clean_reason(reason: str | None, *, required: bool) -> str:
    """The editor's reason as stored: required when someone else's words are changed."""
    reason = (reason or "").replace("\r\n", "\n").strip()
    if required and not reason:
        raise ServiceError(_("Please say why you are editing this post: its author will see your reason."), "reason")
    if len(reason) > REASON_MAX or "\x00" in reason:
        raise ServiceError(_("Keep the reason under %(limit)d characters.", limit=REASON_MAX), "reason")
    return reason


def latest_number(post: Post) -> int:
    """The number of the current version, or 0 for a post whose history starts at its next edit."""
    return db.session.scalar(select(func.max(PostRevision.number)).where(PostRevision.post_id == post.id)) or 0


def keep_revision(post: Post, editor: Member, before: tuple[str, str | None], reason: str, now: datetime) -> int:
    """Record an edit just applied to `post`, before its `edited_at` moves on (caller commits): the text as it was,
    if no history exists yet, then the new text. `before` is (Markdown, title) as they were; returns the new number."""
    number = latest_number(post)
    title = post.topic.title if post.is_opening else None
    if number == 0:
        number = 1
        db.session.add(
            PostRevision(
                post_id=post.id, number=1, editor_id=post.author_id, created_at=post.edited_at or post.created_at,
                raw=before[0], title=before[1] if post.is_opening else None,
            )
        )  # fmt: skip
    revision = PostRevision(
        post_id=post.id, number=number + 1, editor_id=editor.id, created_at=now, raw=post.raw, title=title,
        reason=reason,
    )  # fmt: skip
    db.session.add(revision)
    return revision.number


def tell_author(moderator: Member, post: Post, reason: str, number: int) -> None:
    """A moderator changed someone else's words: logged, and the author hears why (caller commits)."""
    audit(moderator, "edit_post", post, reason=reason, group_id=post.topic.group_id, after={"revision": number})
    notify(
        post.author_id,
        "post_edited",
        lazy_gettext("A moderator edited your post. Their reason: %(reason)s", reason=reason),
        url_for("community.revisions", post_id=post.id),
        post_id=post.id,
    )


def revisions_of(post: Post) -> list[PostRevision]:
    """Every version of the post, oldest first, with its editor (one query)."""
    query = select(PostRevision).options(joinedload(PostRevision.editor)).where(PostRevision.post_id == post.id)
    return list(db.session.scalars(query.order_by(PostRevision.number)))


def redact(member: Member, post: Post, number: int) -> None:
    """Erase an old version's words for good; the row keeps its number and says who erased it, and when."""
    revision = db.session.scalar(
        select(PostRevision).where(PostRevision.post_id == post.id, PostRevision.number == number)
    )
    if revision is None:
        raise ServiceError(_("This version does not exist."))
    permissions.ensure(member, "redact_revision", (post, revision, latest_number(post)))
    erased = {text for text in (revision.raw, revision.title) if text}
    revision.raw, revision.title, revision.reason = "", None, ""
    revision.redacted_at, revision.redacted_by_id = utcnow(), member.id
    _scrub_audit_details(post, erased)
    forget_replaced_words()
    audit(member, "redact_revision", post, group_id=post.topic.group_id, after={"revision": number})
    db.session.commit()


def _scrub_audit_details(post: Post, erased: set[str]) -> None:
    """Earlier log entries about this post may hold the erased words (a moderator's edit before approval logs the
    text before and after). The entries stay; only those words leave them: this is the one change the append-only
    log accepts, made below the ORM's guard on purpose."""
    table = db.metadata.tables["audit_events"]
    rows = db.session.execute(
        select(table.c.id, table.c.before, table.c.after).where(
            table.c.target_type == "post", table.c.target_id == post.id
        )
    ).all()
    for row in rows:
        before, after = _without(row.before, erased), _without(row.after, erased)
        if (before, after) != (row.before, row.after):
            db.session.execute(update(table).where(table.c.id == row.id).values(before=before, after=after))


def _without(details: dict | None, erased: set[str]) -> dict | None:
    if details is None:
        return None
    return {key: None if isinstance(value, str) and value in erased else value for key, value in details.items()}
