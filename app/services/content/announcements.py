"""Site-wide announcements: staff post them (with a text per language if they like), edit and end them; members
dismiss them for themselves. A reader gets the text in their language, else the one staff wrote first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import partial
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import ColumnElement, Select, delete, exists, literal, or_, select
from sqlalchemy.orm import joinedload

from app import permissions
from app.database.dml import insert_once
from app.extensions import db
from app.models import Announcement, AnnouncementDismissal, AnnouncementTranslation, Member, Picture
from app.models.base import community_locale, utcnow
from app.services import Checks, ServiceError
from app.services.common.audit import audit
from app.services.common.cleaning import clean_text
from app.services.pictures.files import keys_of, release_files
from app.services.pictures.uploads import Prepared, Upload, attach_pictures, kept_only_if_committed, prepare_pictures
from app.services.webhooks import events as webhook_events
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


def with_announcements(reader: Any, locale: str, figure: Any = None) -> Select:
    """One statement for every page's banner: each shown announcement with its text in `locale` (if staff wrote
    one) and its pictures, newest first, beside `figure` (a scalar subquery such as the unread count). A row with
    no announcement still carries the figure. Execute it with `.unique()` (the pictures are joined in)."""
    anchor = select((figure if figure is not None else literal(0)).label("figure")).subquery()
    return (
        select(anchor.c.figure, Announcement, AnnouncementTranslation)
        .select_from(anchor)
        .outerjoin(Announcement, shown_to(reader))
        .outerjoin(
            AnnouncementTranslation,
            (AnnouncementTranslation.announcement_id == Announcement.id) & (AnnouncementTranslation.locale == locale),
        )
        .options(joinedload(Announcement.pictures))
        .order_by(Announcement.id.desc())
    )


@dataclass(frozen=True)
class Banner:
    """An announcement as one reader sees it: in their language when staff wrote it, else in the original's."""

    announcement: Announcement
    translation: AnnouncementTranslation | None

    @property
    def id(self) -> int:
        return self.announcement.id

    @property
    def locale(self) -> str:
        return self.translation.locale if self.translation is not None else self.announcement.locale

    @property
    def cooked_html(self) -> Markup:
        return (self.translation or self.announcement).cooked_html

    @property
    def pictures(self) -> list[Picture]:
        return self.announcement.pictures


def _clean_body(body: str, field: str = "body") -> str:
    try:
        return clean_text(body, limit=BODY_MAX, empty=_("Please write the announcement."), noun="Announcements")
    except ServiceError as error:
        raise ServiceError(error.message, field) from error


def _clean_translations(texts: Mapping[str, str], original: str) -> dict[str, str]:
    """The texts in other languages staff filled in, cleaned like the original; an empty box means none. Every
    box's problem is reported, not only the first one's."""
    cleaned: dict[str, str] = {}
    checks = Checks()
    for locale, text in texts.items():
        if locale not in current_app.config["LOCALES"] or locale == original:
            raise ServiceError(_("Choose one of the community’s languages from the list."))
        if text.strip():
            cleaned[locale] = checks.run(partial(_clean_body, text, f"text_{locale}"), "")
    checks.settle()
    return cleaned


def _end_of(ends_on: date | None) -> datetime | None:
    """The end of that day (UTC), which must be still to come."""
    ends_at = datetime.combine(ends_on, time.max, tzinfo=UTC) if ends_on else None
    if ends_at is not None and ends_at <= utcnow():
        raise ServiceError(_("The end date has passed: choose today or a later day, or leave it empty."), "ends_on")
    return ends_at


def create_announcement(
    actor: Member,
    body: str,
    ends_on: date | None,
    translations: Mapping[str, str] | None = None,
    pictures: Sequence[Upload] = (),
) -> Announcement:
    """Publish a banner for everyone, until the end of `ends_on` (UTC) or until ended by hand. `body` is in the
    community's default language; `translations` maps other languages to their text; `pictures` show beneath it."""
    permissions.ensure(actor, "manage_announcements", None)
    locale = community_locale()
    checks = Checks()  # every box's problem at once
    prepared: list[Prepared] = checks.run(lambda: prepare_pictures(pictures), [])
    body = checks.run(lambda: _clean_body(body), "")
    texts: dict[str, str] = checks.run(lambda: _clean_translations(translations or {}, locale), {})
    ends_at = checks.run(lambda: _end_of(ends_on), None)
    checks.settle()
    announcement = Announcement(
        raw=body, cooked=cook(body), locale=locale, ends_at=ends_at, created_by_id=actor.id,
        translations=[AnnouncementTranslation(locale=code, raw=raw, cooked=cook(raw)) for code, raw in texts.items()],
    )  # fmt: skip
    db.session.add(announcement)
    db.session.flush()
    after = {"ends_at": ends_at.isoformat() if ends_at else None, "languages": sorted(texts)}
    audit(actor, "create_announcement", announcement, after=after)
    webhook_events.announcement_published(announcement)
    with kept_only_if_committed(attach_pictures(actor, prepared, announcement_id=announcement.id)):
        db.session.commit()
    return announcement


def translations_of(announcement: Announcement) -> dict[str, AnnouncementTranslation]:
    """The announcement's texts in other languages, by language."""
    rows = db.session.scalars(
        select(AnnouncementTranslation).where(AnnouncementTranslation.announcement_id == announcement.id)
    )
    return {row.locale: row for row in rows}


def pictures_of(announcement: Announcement) -> list[Picture]:
    """The pictures shown beneath the announcement, in order."""
    query = select(Picture).where(Picture.announcement_id == announcement.id).order_by(Picture.position, Picture.id)
    return list(db.session.scalars(query))


def edit_announcement(
    actor: Member,
    announcement: Announcement,
    body: str,
    translations: Mapping[str, str],
    pictures: Sequence[Upload] = (),
    remove_pictures: Sequence[int] = (),
) -> None:
    """Change the texts of a banner: the original and each language's (an emptied box removes that language), and
    add or take away pictures. Members who dismissed it keep it dismissed."""
    permissions.ensure(actor, "manage_announcements", announcement)
    existing = pictures_of(announcement)
    removed = [picture for picture in existing if picture.id in set(remove_pictures)]
    checks = Checks()
    prepared: list[Prepared] = checks.run(lambda: prepare_pictures(pictures, len(existing) - len(removed)), [])
    body = checks.run(lambda: _clean_body(body), "")
    texts: dict[str, str] = checks.run(lambda: _clean_translations(translations, announcement.locale), {})
    checks.settle()
    announcement.raw, announcement.cooked = body, cook(body)
    _replace_translations(announcement, texts)
    audit(actor, "edit_announcement", announcement, after={"languages": sorted(texts)})
    for picture in removed:
        db.session.delete(picture)
    start = max((picture.position for picture in existing), default=-1) + 1
    with kept_only_if_committed(attach_pictures(actor, prepared, start=start, announcement_id=announcement.id)):
        db.session.commit()
    release_files(keys_of(removed))


def _replace_translations(announcement: Announcement, texts: dict[str, str]) -> None:
    """Make the announcement's other-language rows exactly `texts`, touching only those that change."""
    texts = dict(texts)
    for locale, row in translations_of(announcement).items():
        if locale not in texts:
            db.session.delete(row)
        elif row.raw != texts[locale]:
            row.raw, row.cooked = texts[locale], cook(texts[locale])
        texts.pop(locale, None)
    db.session.add_all(
        AnnouncementTranslation(announcement_id=announcement.id, locale=code, raw=text, cooked=cook(text))
        for code, text in texts.items()
    )


def delete_announcement(actor: Member, announcement: Announcement) -> None:
    """Remove an announcement for good, with its texts, dismissals and pictures (their files too)."""
    permissions.ensure(actor, "manage_announcements", announcement)
    keys = keys_of(pictures_of(announcement))
    audit(actor, "delete_announcement", announcement)
    # Row by row rather than by the ORM's cascade, which would first load every dismissal.
    for table in (Picture, AnnouncementTranslation, AnnouncementDismissal):
        db.session.execute(delete(table).where(table.announcement_id == announcement.id))
    db.session.execute(delete(Announcement).where(Announcement.id == announcement.id))
    db.session.commit()
    release_files(keys)


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
