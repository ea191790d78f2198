"""Double submissions (SECURITY.md #23): a form sent twice creates one row.

Each rendering of a posting form carries a fresh random `submission_key` (see app.web.forms.OnceForm). A service
that creates something calls `claim()` as the first write of its transaction: the key is stored with a unique
constraint on (member, key), so of two identical POSTs, even simultaneous ones, only the first commits; the
second gets `DuplicateSubmission` naming what the first created, and the view sends the member there.

A `repeat_key` (see `repeat_key()`) stands for the same words sent to the same place within a few minutes from a
fresh form (the Back button and a second click): recorded in the same statement as the form's key, it stops a twin
whose form carried another key, simultaneous ones included.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import FormSubmission, Member
from app.models.base import utcnow

KEEP_FOR = timedelta(days=2)  # a repeat comes within seconds; older keys are only kept against a stale back button


class DuplicateSubmission(Exception):  # noqa: N818 - it is an outcome, not a failure
    """This form was already submitted: `kind` and `target_id` name what the first submission created."""

    def __init__(self, kind: str, target_id: int | None) -> None:
        super().__init__(f"already submitted: {kind} {target_id}")
        self.kind = kind
        self.target_id = target_id


def repeat_key(place: str, text: str, window: timedelta) -> str:
    """A key shared by the same words sent to the same place in the same stretch of `window` (a hash: no text)."""
    stretch = int(utcnow().timestamp() // window.total_seconds())
    return "same:" + hashlib.sha256(f"{place}\n{stretch}\n{text}".encode()).hexdigest()[:48]


def claim(member: Member, key: str | None, kind: str, repeat_key: str | None = None) -> tuple[FormSubmission, ...]:
    """Record this submission in the current transaction; raises DuplicateSubmission if it was seen before.

    Call it before any other write of the transaction (its rollback on a duplicate undoes everything
    pending), and call `settle()` once the created row has an id. Without a key nothing is recorded."""
    keys = [one for one in (key, repeat_key) if one]
    if not keys:
        return ()
    member_id = member.id
    claimed = tuple(FormSubmission(member_id=member_id, key=one, kind=kind) for one in keys)
    db.session.add_all(claimed)  # one INSERT for both keys
    try:
        db.session.flush()  # on PostgreSQL this waits for a simultaneous twin to commit, then fails
    except IntegrityError:
        db.session.rollback()
        first = db.session.scalar(
            select(FormSubmission)
            .where(FormSubmission.member_id == member_id, FormSubmission.key.in_(keys))
            .order_by(FormSubmission.id)
            .limit(1)
        )
        raise DuplicateSubmission(first.kind if first else kind, first.target_id if first else None) from None
    return claimed


def settle(claimed: tuple[FormSubmission, ...], target_id: int) -> None:
    """Note what the submission created (before the commit), and forget keys old enough not to matter."""
    if not claimed:
        return
    for submission in claimed:
        submission.target_id = target_id
    db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < utcnow() - KEEP_FOR))
