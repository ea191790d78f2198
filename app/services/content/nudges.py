"""Nudges before posting: what a post seems to share that its author may want to reconsider, and the lists staff
keep for it (built-in detectors switched on or off, and their own phrases)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.models import Member
from app.models.nudges import NUDGE_PHRASE_KINDS, NudgePhrase
from app.services import Checks, ServiceError
from app.services.common.audit import audit
from app.services.content.nudge_detectors import (
    ADVICE,
    BUILT_IN_PERSONAL,
    PERSONAL,
    gives_advice,
    matches_phrase,
    personal_kinds,
)
from app.services.moderation.settings import get_int
from app.services.moderation.verdict import normalise

PHRASE_MAX = 100
WILDCARDS_MAX = 3
TOGGLES = {kind: f"nudge_{kind}" for kind in (*BUILT_IN_PERSONAL, ADVICE)}
# Why a held post's review item names a nudge: stored in English like every reason (see moderation/reasons.py),
# naming only the kind, never the words themselves.
CONFIRMED_REASONS = {
    "phone": "the author confirmed posting what looks like a phone number",
    "email": "the author confirmed posting what looks like an e-mail address",
    "address": "the author confirmed posting what looks like a postal address",
    "birth_date": "the author confirmed posting what looks like a date of birth",
    "health_number": "the author confirmed posting what looks like a medical record or health-service number",
    "personal": "the author confirmed posting what looks like personal information",
    "advice": "the author confirmed posting what looks like medical advice",
}


@dataclass(frozen=True)
class Found:
    """The kinds of personal information (in a fixed order) and whether advice was found."""

    personal: tuple[str, ...] = field(default=())
    advice: bool = False

    @property
    def kinds(self) -> tuple[str, ...]:
        return (*self.personal, ADVICE) if self.advice else self.personal

    def __bool__(self) -> bool:
        return bool(self.personal or self.advice)


def _on(kind: str) -> bool:
    return get_int(TOGGLES[kind]) == 1


def _phrases(kind: str) -> list[str]:
    return list(db.session.scalars(select(NudgePhrase.phrase).where(NudgePhrase.kind == kind)))


def _detect(text: str) -> Found:
    personal = [kind for kind in personal_kinds(text) if _on(kind)]
    if matches_phrase(text, _phrases(PERSONAL)):
        personal.append(PERSONAL)
    advice = (_on(ADVICE) and gives_advice(text)) or matches_phrase(text, _phrases(ADVICE))
    return Found(tuple(personal), advice)


def find_nudges(text: str, before: str = "") -> Found:
    """What to ask the author about before `text` goes out; for an edit, only what the edit adds to `before`
    (what they already confirmed once is not asked again)."""
    found = _detect(text)
    if not found or not before:
        return found
    earlier = _detect(before)
    return Found(tuple(k for k in found.personal if k not in earlier.personal), found.advice and not earlier.advice)


def confirmed_reasons(kinds: tuple[str, ...]) -> list[str]:
    """The review reasons for what the author was asked about and posted anyway."""
    return [CONFIRMED_REASONS[kind] for kind in kinds]


def _check_phrase(phrase: str) -> None:
    if not phrase:
        raise ServiceError(_("Enter a word or phrase."), "phrase")
    if len(phrase) > PHRASE_MAX:
        raise ServiceError(_("Phrases can be at most %(limit)d characters.", limit=PHRASE_MAX), "phrase")
    if "\x00" in phrase or not any(c.isalnum() for c in phrase):
        raise ServiceError(_("A phrase needs at least one letter or digit."), "phrase")
    if phrase.count("*") > WILDCARDS_MAX:
        raise ServiceError(_("A phrase can have at most %(limit)d wildcards (*).", limit=WILDCARDS_MAX), "phrase")


def _kind(kind: str) -> str:
    if kind not in NUDGE_PHRASE_KINDS:
        raise ServiceError(_("Choose which nudge the phrase belongs to."), "kind")
    return kind


def add_nudge_phrase(actor: Member, phrase: str, kind: str) -> NudgePhrase:
    """Add a staff phrase to one nudge (audit-logged); the same phrase twice in one nudge is refused."""
    permissions.ensure(actor, "manage_nudges", None)
    phrase = " ".join((phrase or "").split())
    checks = Checks()
    checks.run(lambda: _check_phrase(phrase), None)
    kind = checks.run(lambda: _kind(kind), "")
    checks.settle()
    key = normalise(phrase)
    if db.session.scalar(select(NudgePhrase.id).where(NudgePhrase.kind == kind, NudgePhrase.phrase_key == key)):
        raise ServiceError(_("That phrase is already on the list."), "phrase")
    row = NudgePhrase(kind=kind, phrase=phrase, phrase_key=key, created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit(actor, "add_nudge_phrase", row, after={"phrase": phrase, "kind": kind})
    db.session.commit()
    return row


def remove_nudge_phrase(actor: Member, row: NudgePhrase) -> None:
    permissions.ensure(actor, "manage_nudges", None)
    audit(actor, "remove_nudge_phrase", row, before={"phrase": row.phrase, "kind": row.kind})
    db.session.delete(row)
    db.session.commit()
