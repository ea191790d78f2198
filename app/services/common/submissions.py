"""Double submissions (SECURITY.md #23): a form sent twice creates one row.

Each rendering of a posting form carries a fresh random `submission_key` (see app.web.forms.OnceForm). A service
that creates something calls `claim()` as the first write of its transaction: the key is stored with a unique
constraint on (member, key), so of two identical POSTs, even simultaneous ones, only the first commits; the
second gets `DuplicateSubmission` naming what the first created, and the view sends the member there.

A `repeat_key` (see `repeat_key()`) stands for the same words sent to the same place within a few minutes from a
fresh form (the Back button and a second click): recorded in the same statement as the form's key, it stops a twin
whose form carried another key, simultaneous ones included. A repeat key whose first submission is no longer there
for its author (deleted, hidden, rejected: see `still_there` in `claim()`) is given up, so the words can go again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import FormSubmission, Member
from app.models.base import utcnow

KEEP_FOR = timedelta(days=2)  # a repeat comes within seconds; older keys are only kept against a stale back button
# The same words to the same place within this time are the same post or message sent twice, not a new one.
REPEAT_WINDOW = timedelta(minutes=5)


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


def was_sent(member: Member, key: str | None) -> bool:
    """Has the form that carried this key been sent already? (A draft saved from it afterwards would be stale.)"""
    if not key or len(key) > 64:
        return False
    query = select(FormSubmission.id).where(FormSubmission.member_id == member.id, FormSubmission.key == key)
    return db.session.scalar(query.limit(1)) is not None


def claim(
    member: Member,
    key: str | None,
    kind: str,
    repeat_key: str | None = None,
    still_there: Callable[[int], bool] | None = None,
) -> tuple[FormSubmission, ...]:
    """Record this submission in the current transaction; raises DuplicateSubmission if it was seen before.

    Call it before any other write of the transaction (its rollback on a duplicate undoes everything
    pending), and call `settle()` once the created row has an id. Without a key nothing is recorded. A repeat key
    whose first submission `still_there` says its author can no longer see is given up, and this one recorded."""
    keys = [one for one in (key, repeat_key) if one]
    if not keys:
        return ()
    claimed, first = _record(member.id, keys, kind)
    if first is not None and first.key == repeat_key and _gone(first, still_there):
        db.session.execute(delete(FormSubmission).where(FormSubmission.id == first.id))
        claimed, first = _record(member.id, keys, kind)
    if first is not None:
        raise DuplicateSubmission(first.kind, first.target_id)
    return claimed


def _gone(first: FormSubmission, still_there: Callable[[int], bool] | None) -> bool:
    """Is what this earlier submission created no longer there for its author?"""
    return still_there is not None and first.target_id is not None and not still_there(first.target_id)


def _record(member_id: int, keys: list[str], kind: str) -> tuple[tuple[FormSubmission, ...], FormSubmission | None]:
    """Store the keys (one INSERT); on a clash, roll back and return the earliest submission they clash with."""
    claimed = tuple(FormSubmission(member_id=member_id, key=one, kind=kind) for one in keys)
    db.session.add_all(claimed)
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
        # None: the first one vanished meanwhile, and there is nothing to point to
        return (), first or FormSubmission(member_id=member_id, key="", kind=kind)
    return claimed, None


def settle(claimed: tuple[FormSubmission, ...], target_id: int) -> None:
    """Note what the submission created (before the commit), and forget keys old enough not to matter."""
    if not claimed:
        return
    for submission in claimed:
        submission.target_id = target_id
    db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < utcnow() - KEEP_FOR))
