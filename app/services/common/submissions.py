"""Double submissions (SECURITY.md #23): a form sent twice creates one row.

Each rendering of a posting form carries a fresh random `submission_key` (see app.web.forms.OnceForm). A service
that creates something calls `claim()` as the first write of its transaction: the key is stored with a unique
constraint on (member, key), so of two identical POSTs, even simultaneous ones, only the first commits; the
second gets `DuplicateSubmission` naming what the first created, and the view sends the member there.
"""

from __future__ import annotations

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


def claim(member: Member, key: str | None, kind: str) -> FormSubmission | None:
    """Record this submission in the current transaction; raises DuplicateSubmission if it was seen before.

    Call it before any other write of the transaction (its rollback on a duplicate undoes everything
    pending), and call `settle()` once the created row has an id. Without a key nothing is recorded."""
    if not key:
        return None
    member_id = member.id
    submission = FormSubmission(member_id=member_id, key=key, kind=kind)
    db.session.add(submission)
    try:
        db.session.flush()  # on PostgreSQL this waits for a simultaneous twin to commit, then fails
    except IntegrityError:
        db.session.rollback()
        first = db.session.scalar(
            select(FormSubmission).where(FormSubmission.member_id == member_id, FormSubmission.key == key)
        )
        raise DuplicateSubmission(first.kind if first else kind, first.target_id if first else None) from None
    return submission


def settle(submission: FormSubmission | None, target_id: int) -> None:
    """Note what the submission created (before the commit), and forget keys old enough not to matter."""
    if submission is None:
        return
    submission.target_id = target_id
    db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < utcnow() - KEEP_FOR))
