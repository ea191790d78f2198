"""Keeping, finding and removing a member's drafts; each function owns its transaction (except `forget`).

A draft is the member's own: every query here is by its owner, never by id alone, so nobody else (moderators and
staff included) can read, list or remove it. Drafts older than KINDRED_DRAFT_DAYS are never shown and are purged
whenever the owner's drafts are read, and by `flask drafts purge`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, delete, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Draft, Member, Topic
from app.models.base import utcnow
from app.services import ServiceError
from app.services.common.cleaning import BODY_MAX
from app.services.drafts.places import Place, may_write

# Room for a title or a list of names beside the body; anything longer is not writing from our composers.
TEXT_MAX = {"title": 1_000, "recipients": 1_000, "body": BODY_MAX + 1_000}


def expiry() -> datetime:
    """Drafts saved before this moment are expired."""
    return utcnow() - timedelta(days=current_app.config["DRAFT_DAYS"])


def reply_draft(member: Member) -> ColumnElement[bool]:
    """The join condition of the member's unexpired reply draft for the topic a page query loads."""
    return and_(
        Draft.member_id == member.id, Draft.kind == "reply", Draft.target_id == Topic.id, Draft.saved_at >= expiry()
    )


def save_draft(member: Member, place: Place, *, title: str = "", recipients: str = "", body: str = "") -> Draft | None:
    """Keep the member's text for this place (replacing the one kept before); empty text removes the draft."""
    texts = {"title": title, "recipients": recipients, "body": body}
    for name, text in texts.items():
        if len(text) > TEXT_MAX[name]:
            raise ServiceError(_("This draft is too long to keep."), name)
    texts = {name: text.replace("\x00", "") for name, text in texts.items()}  # PostgreSQL cannot store NUL
    if not may_write(member, place):
        raise ServiceError(_("You can no longer write here, so this draft cannot be kept."))
    if not any(text.strip() for text in texts.values()):
        discard_draft(member, place)
        return None
    draft = _write(member, place, texts)
    db.session.commit()
    return draft


def _write(member: Member, place: Place, texts: dict[str, str]) -> Draft:
    """Update the member's draft for the place, or add it; of two simultaneous first saves, the later one updates."""
    for _attempt in range(2):
        draft = find_draft(member, place, fresh_only=False)
        if draft is None:
            draft = Draft(member_id=member.id, kind=place.kind, target_id=place.target_id)
            db.session.add(draft)
        draft.title, draft.recipients, draft.body = texts["title"], texts["recipients"], texts["body"]
        draft.saved_at = utcnow()
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()  # a twin request added it first: update that one
            continue
        return draft
    raise ServiceError(_("Your draft could not be kept just now. Please try again."))


def keep_unsent(member: Member, place: Place, texts: dict[str, str]) -> bool:
    """After a write failed: keep what was typed as a draft, in a transaction of its own. True when it is kept."""
    db.session.rollback()
    try:
        return save_draft(member, place, **texts) is not None
    except ServiceError:
        db.session.rollback()
        return False


def find_draft(member: Member, place: Place, *, fresh_only: bool = True) -> Draft | None:
    """The member's draft for this place, unless it has expired."""
    query = select(Draft).where(
        Draft.member_id == member.id, Draft.kind == place.kind, Draft.target_id == place.target_id
    )
    if fresh_only:
        query = query.where(Draft.saved_at >= expiry())
    return db.session.scalar(query)


def member_drafts(member: Member) -> list[Draft]:
    """The member's drafts, most recently saved first; expired ones are removed on the way."""
    db.session.execute(delete(Draft).where(Draft.member_id == member.id, Draft.saved_at < expiry()))
    db.session.commit()
    query = select(Draft).where(Draft.member_id == member.id).order_by(Draft.saved_at.desc(), Draft.id.desc())
    return list(db.session.scalars(query))


def discard_draft(member: Member, place: Place) -> None:
    """The member threw the draft away."""
    forget_draft(member, place)
    db.session.commit()


def forget_draft(member: Member, place: Place) -> None:
    """The text was posted: its draft goes, in the caller's transaction (so it goes only if the post is stored)."""
    db.session.execute(
        delete(Draft).where(Draft.member_id == member.id, Draft.kind == place.kind, Draft.target_id == place.target_id)
    )


def purge_expired() -> int:
    """Remove every expired draft (the CLI's periodic clean-up); returns how many went."""
    result = db.session.execute(delete(Draft).where(Draft.saved_at < expiry()))
    db.session.commit()
    return result.rowcount or 0  # type: ignore[attr-defined]
