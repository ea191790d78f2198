"""Versioned community guidelines: saving a new version, and members accepting a material change."""

from __future__ import annotations

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models import GuidelinesVersion, Member
from app.models.base import utcnow
from app.services import ServiceError
from app.services.common.audit import audit
from app.services.common.cleaning import clean_text
from app.text.rendering import cook

BODY_MAX = 50_000
NOTE_MAX = 300
DEFAULT_GUIDELINES = """\
This community works because members look after each other. These guidelines keep it safe and helpful.

## Be kind and respectful

Everyone here is dealing with something hard. Disagree with ideas, never with people. No harassment, insults or \
judgement of other people's choices about their own care.

## Share experience, not medical advice

Tell others what worked for you and what it was like. Don't tell anyone to start, stop or change a treatment: that \
is a conversation for them and their care team. Misleading health claims will be removed.

## Protect your privacy and others'

Use a nickname if you like. Don't post anyone's real name, address, phone number, photos or medical details without \
their permission — including your own details that you may later regret sharing.

## No selling or promotion

No advertising, fundraising, recruiting for studies or links to products you are connected with, unless the staff \
team has agreed to it.

## If you or someone else is at risk

This community is not an emergency service. If you are in danger or thinking about harming yourself, call your local \
emergency number now, or contact your care team or a crisis line.

## Moderation

Moderators may hold, edit, hide or remove posts and suspend accounts that break these guidelines. Every decision is \
recorded, and you will be told what happened to your post and why.
"""
DEFAULT_NOTE = "The original guidelines."


def latest_version() -> GuidelinesVersion | None:
    return db.session.scalar(select(GuidelinesVersion).order_by(GuidelinesVersion.number.desc()).limit(1))


def current_number() -> int:
    """The version in force: 1 (the built-in text) until staff save their first edit."""
    return db.session.scalar(select(GuidelinesVersion.number).order_by(GuidelinesVersion.number.desc()).limit(1)) or 1


@cache
def _default_cooked() -> str:
    return cook(DEFAULT_GUIDELINES)  # once per process: pages never render Markdown on read


def default_version() -> GuidelinesVersion:
    """The built-in text as an unsaved version 1, shown until staff save a version of their own."""
    raw = DEFAULT_GUIDELINES.strip()  # stored as a save would store it, so "nothing changed" compares like with like
    return GuidelinesVersion(number=1, raw=raw, cooked=_default_cooked(), change_note=DEFAULT_NOTE)


def version(number: int) -> GuidelinesVersion | None:
    """A saved version by its number (version 1 is the built-in text until it is saved)."""
    found = db.session.scalar(select(GuidelinesVersion).where(GuidelinesVersion.number == number))
    if found is None and number == 1 and latest_version() is None:
        return default_version()
    return found


def _clean(body: str, note: str) -> tuple[str, str]:
    body = clean_text(body, limit=BODY_MAX, empty=_("The guidelines cannot be empty."), noun="The guidelines")
    if "\x00" in note:
        raise ServiceError(_("This contains a character that cannot be stored (NUL)."), "note")
    note = " ".join(note.split())
    if not note:
        raise ServiceError(_("Say in a few words what changed: members see this note in the history."), "note")
    if len(note) > NOTE_MAX:
        raise ServiceError(_("The change note can be at most %(limit)d characters.", limit=NOTE_MAX), "note")
    return body, note


def save_guidelines(actor: Member, body: str, note: str, *, material: bool, based_on: int) -> GuidelinesVersion:
    """Publish the next numbered version. A material change asks everyone else to accept it before posting."""
    permissions.ensure(actor, "edit_guidelines", None)
    body, note = _clean(body, note)
    current = latest_version()
    if current is None:  # the built-in text becomes version 1, so the history and diffs start from it
        current = default_version()
        db.session.add(current)
    if based_on != current.number:
        raise ServiceError(
            _(
                "Someone saved version %(number)d while you were editing. Compare your text with it and save again.",
                number=current.number,
            )
        )
    if body == current.raw:
        raise ServiceError(
            _("Nothing changed: the text is the same as version %(number)d.", number=current.number), "body"
        )
    new = GuidelinesVersion(
        number=current.number + 1, raw=body, cooked=cook(body), change_note=note, material=material,
        created_by_id=actor.id,
    )  # fmt: skip
    db.session.add(new)
    if material:
        db.session.execute(update(Member).where(Member.id != actor.id).values(guidelines_outdated=True))
    _record_acceptance(actor, new.number)
    audit(actor, "edit_guidelines", new, after={"version": new.number, "material": material})
    try:
        db.session.commit()
    except IntegrityError as error:  # another save took this number a moment earlier
        db.session.rollback()
        raise ServiceError(
            _("Someone saved a new version just now. Compare your text with it and save again.")
        ) from error
    return new


def _record_acceptance(member: Member, number: int) -> None:
    member.guidelines_version, member.guidelines_outdated, member.guidelines_accepted_at = number, False, utcnow()


def accept_guidelines(member: Member) -> int:
    """The member read and accepts the version in force: they may post again. Returns its number."""
    permissions.ensure(member, "accept_guidelines", None)
    number = current_number()
    _record_acceptance(member, number)
    db.session.commit()
    return number
