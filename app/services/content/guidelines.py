"""Versioned community guidelines: saving a new version or a translation, and members accepting a material change.

The rule for languages (app/models/guidelines.py): a save in the language of the version in force publishes the next
version; a save in another language is a translation of the version in force and keeps its number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models import GuidelinesVersion, Member
from app.models.base import community_locale, utcnow
from app.services import Checks, ServiceError
from app.services.common.audit import audit
from app.services.common.cleaning import clean_text
from app.services.content.guidelines_text import BUILT_IN_GUIDELINES, BUILT_IN_NOTES
from app.text.rendering import cook

BODY_MAX = 50_000
NOTE_MAX = 300
DEFAULT_GUIDELINES = BUILT_IN_GUIDELINES["en"]
DEFAULT_NOTE = BUILT_IN_NOTES["en"]


@dataclass(frozen=True)
class Reading:
    """A version as one reader gets it: its newest translation into their language, else the original text."""

    original: GuidelinesVersion
    translation: GuidelinesVersion | None
    locale: str  # the language the reader asked for

    @property
    def shown(self) -> GuidelinesVersion:
        return self.translation or self.original

    @property
    def fallback(self) -> bool:
        """The reader asked for a language this version is not available in: they get the original."""
        return self.translation is None and self.locale != self.original.locale


def _original() -> ColumnElement[bool]:
    return ~GuidelinesVersion.is_translation


def latest_version() -> GuidelinesVersion | None:
    """The saved original in force (None until staff save their first edit)."""
    return db.session.scalar(
        select(GuidelinesVersion).where(_original()).order_by(GuidelinesVersion.number.desc()).limit(1)
    )


def current_number() -> int:
    """The version in force: 1 (the built-in text) until staff save their first edit."""
    newest = select(GuidelinesVersion.number).where(_original()).order_by(GuidelinesVersion.number.desc()).limit(1)
    return db.session.scalar(newest) or 1


def _built_in_locale() -> str:
    """The built-in original is in the community's language when Kindred ships one, else in English."""
    locale = community_locale()
    return locale if locale in BUILT_IN_GUIDELINES else "en"


@cache
def _built_in(locale: str) -> tuple[str, str, str]:
    raw = BUILT_IN_GUIDELINES[locale].strip()  # stored as a save would store it, so "nothing changed" compares
    return raw, cook(raw), BUILT_IN_NOTES[locale]  # once per process: pages never render Markdown on read


def _built_in_version(locale: str, *, translation: bool) -> GuidelinesVersion:
    raw, cooked, note = _built_in(locale)
    return GuidelinesVersion(
        number=1, raw=raw, cooked=cooked, change_note=note, locale=locale, is_translation=translation
    )


def default_version() -> GuidelinesVersion:
    """The built-in text as an unsaved version 1, shown until staff save a version of their own."""
    return _built_in_version(_built_in_locale(), translation=False)


def built_in_translation(locale: str) -> GuidelinesVersion | None:
    """The built-in text in `locale` as an unsaved translation of version 1 (None when it is the original's)."""
    if locale == _built_in_locale() or locale not in BUILT_IN_GUIDELINES:
        return None
    return _built_in_version(locale, translation=True)


def reading(locale: str, number: int | None = None) -> Reading | None:
    """Version `number` (by default the one in force) for a reader of `locale`, in one statement; None if there
    is no such version."""
    in_force = select(func.max(GuidelinesVersion.number)).where(_original()).scalar_subquery()
    rows = db.session.scalars(
        select(GuidelinesVersion)
        .where(GuidelinesVersion.number == (in_force if number is None else number))
        .where(or_(_original(), GuidelinesVersion.locale == locale))
        .order_by(GuidelinesVersion.id)
    ).all()
    original = next((row for row in rows if not row.is_translation), None)
    translations = [row for row in rows if row.is_translation]
    if original is None:  # nothing saved yet (saving always stores version 1 first), or no such version
        if number not in (None, 1):
            return None
        original, translations = default_version(), [t for t in [built_in_translation(locale)] if t]
    return Reading(original, translations[-1] if translations else None, locale)


def reading_in_force(locale: str) -> Reading:
    """The version in force for a reader of `locale` (the built-in text stands in until staff save one)."""
    found = reading(locale)
    assert found is not None  # reading() always finds the version in force
    return found


def newest_text(locale: str) -> GuidelinesVersion | None:
    """The newest saved text in `locale`, whatever version it belongs to: where a translator starts from."""
    return db.session.scalar(
        select(GuidelinesVersion)
        .where(GuidelinesVersion.locale == locale)
        .order_by(GuidelinesVersion.id.desc())
        .limit(1)
    )


def _clean(body: str, note: str) -> tuple[str, str]:
    """The text and its change note, cleaned; the problems of both at once."""
    checks = Checks()
    body = checks.run(
        lambda: clean_text(body, limit=BODY_MAX, empty=_("The guidelines cannot be empty."), noun="The guidelines"),
        "",
    )
    note = checks.run(lambda: _clean_note(note), "")
    checks.settle()
    return body, note


def _clean_note(note: str) -> str:
    if "\x00" in note:
        raise ServiceError(_("This contains a character that cannot be stored (NUL)."), "note")
    note = " ".join(note.split())
    if not note:
        raise ServiceError(_("Say in a few words what changed: members see this note in the history."), "note")
    if len(note) > NOTE_MAX:
        raise ServiceError(_("The change note can be at most %(limit)d characters.", limit=NOTE_MAX), "note")
    return note


def _check_locale(locale: str) -> None:
    if locale not in current_app.config["LOCALES"]:
        raise ServiceError(_("Choose one of the community’s languages from the list."), "locale")


def _store_built_in() -> GuidelinesVersion:
    """The built-in text becomes version 1, with its translations, so the history and diffs start from it."""
    current = default_version()
    db.session.add(current)
    for locale in current_app.config["LOCALES"]:
        translation = built_in_translation(locale)
        if translation is not None:
            db.session.add(translation)
    return current


def save_guidelines(
    actor: Member, body: str, note: str, *, material: bool, based_on: int, locale: str | None = None
) -> GuidelinesVersion:
    """Publish the next numbered version, or, in another language, a translation of the version in force. A
    material change asks everyone else to accept it before posting."""
    permissions.ensure(actor, "edit_guidelines", None)
    locale = community_locale() if locale is None else locale
    _check_locale(locale)  # the language comes from a list: a wrong one is a forged form, not a typing slip
    body, note = _clean(body, note)
    current = latest_version() or _store_built_in()
    if based_on != current.number:
        raise ServiceError(
            _(
                "Someone saved version %(number)d while you were editing. Compare your text with it and save again.",
                number=current.number,
            )
        )
    if locale != current.locale:
        return _save_translation(actor, current, body, note, locale=locale, material=material)
    if body == current.raw:
        raise ServiceError(
            _("Nothing changed: the text is the same as version %(number)d.", number=current.number), "body"
        )
    new = GuidelinesVersion(
        number=current.number + 1, raw=body, cooked=cook(body), change_note=note, material=material, locale=locale,
        created_by_id=actor.id,
    )  # fmt: skip
    db.session.add(new)
    if material:
        db.session.execute(update(Member).where(Member.id != actor.id).values(guidelines_outdated=True))
    _record_acceptance(actor, new.number)
    audit(actor, "edit_guidelines", new, after={"version": new.number, "material": material, "locale": locale})
    _commit()
    return new


def _save_translation(
    actor: Member, current: GuidelinesVersion, body: str, note: str, *, locale: str, material: bool
) -> GuidelinesVersion:
    """A translation keeps the number of the version it translates: nobody is asked to accept anything again."""
    if material:
        raise ServiceError(
            _("A translation is never a material change: untick the box, or write the change in the original text."),
            "material",
        )
    db.session.flush()  # a built-in text stored just now is part of what the translation is compared with
    previous = reading(locale, current.number)
    if previous is not None and previous.translation is not None and previous.translation.raw == body:
        raise ServiceError(_("Nothing changed: the text is the same as this translation."), "body")
    new = GuidelinesVersion(
        number=current.number, raw=body, cooked=cook(body), change_note=note, locale=locale, is_translation=True,
        created_by_id=actor.id,
    )  # fmt: skip
    db.session.add(new)
    audit(actor, "translate_guidelines", new, after={"version": new.number, "locale": locale})
    _commit()
    return new


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError as error:  # another save took this number a moment earlier
        db.session.rollback()
        raise ServiceError(
            _("Someone saved a new version just now. Compare your text with it and save again.")
        ) from error


def _record_acceptance(member: Member, number: int) -> None:
    member.guidelines_version, member.guidelines_outdated, member.guidelines_accepted_at = number, False, utcnow()


def accept_guidelines(member: Member) -> int:
    """The member read and accepts the version in force: they may post again. Returns its number."""
    permissions.ensure(member, "accept_guidelines", None)
    number = current_number()
    _record_acceptance(member, number)
    db.session.commit()
    return number
