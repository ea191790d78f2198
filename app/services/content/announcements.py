"""Site-wide announcements: staff post and end them; members dismiss them for themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, exists, literal, or_, select

from app import permissions
from app.database.dml import insert_once
from app.extensions import db
from app.models import Announcement, AnnouncementDismissal, Member
from app.models.base import utcnow
from app.services import ServiceError
from app.services.common.audit import audit
from app.services.common.cleaning import clean_text
from app.text.rendering import cook

BODY_MAX = 2000


def _active(now: datetime) -> ColumnElement[bool]:
    return or_(Announcement.ends_at.is_(None), Announcement.ends_at > now)


def shown_to(reader: Any, now: datetime | None = None) -> ColumnElement[bool]:
    """WHERE clause for the announcements this reader sees now: running ones they did not dismiss."""
    active = _active(now or utcnow())
    if not isinstance(reader, Member):
        return active
    dismissed = exists().where(
        AnnouncementDismissal.announcement_id == Announcement.id, AnnouncementDismissal.member_id == reader.id
    )
    return active & ~dismissed


def with_announcements(reader: Any, figure: Any = None) -> Select:
    """One statement for every page's banner: each shown announcement, newest first, beside `figure` (a scalar
    subquery such as the unread count). A row with no announcement still carries the figure."""
    anchor = select((figure if figure is not None else literal(0)).label("figure")).subquery()
    return (
        select(anchor.c.figure, Announcement)
        .select_from(anchor)
        .outerjoin(Announcement, shown_to(reader))
        .order_by(Announcement.id.desc())
    )


def create_announcement(actor: Member, body: str, ends_on: date | None) -> Announcement:
    """Publish a banner for everyone, until the end of `ends_on` (UTC) or until ended by hand."""
    permissions.ensure(actor, "manage_announcements", None)
    body = clean_text(body, limit=BODY_MAX, empty=_("Please write the announcement."), noun="Announcements")
    ends_at = datetime.combine(ends_on, time.max, tzinfo=UTC) if ends_on else None
    if ends_at is not None and ends_at <= utcnow():
        raise ServiceError(_("The end date has passed: choose today or a later day, or leave it empty."), "ends_on")
    announcement = Announcement(raw=body, cooked=cook(body), ends_at=ends_at, created_by_id=actor.id)
    db.session.add(announcement)
    db.session.flush()
    audit(actor, "create_announcement", announcement, after={"ends_at": ends_at.isoformat() if ends_at else None})
    db.session.commit()
    return announcement


def end_announcement(actor: Member, announcement: Announcement) -> None:
    """Take a banner down now; it stays in the list of past announcements."""
    permissions.ensure(actor, "manage_announcements", announcement)
    now = utcnow()
    if announcement.ends_at is not None and announcement.ends_at <= now:
        raise ServiceError(_("This announcement has already ended."))
    announcement.ends_at = now
    audit(actor, "end_announcement", announcement)
    db.session.commit()


def dismiss(member: Member, announcement: Announcement) -> None:
    """Hide the banner for this member from now on (dismissing twice is harmless)."""
    permissions.ensure(member, "dismiss_announcement", announcement)
    # The same dismissal from another tab, even at the same moment, finds the row there and changes nothing.
    insert_once(AnnouncementDismissal, announcement_id=announcement.id, member_id=member.id)
    db.session.commit()
