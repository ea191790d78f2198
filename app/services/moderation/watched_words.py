"""The moderators' list of watched words and phrases."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.models import Member
from app.models.moderation import WatchAction, WatchedWord
from app.services import Checks, ServiceError
from app.services.common.audit import audit
from app.services.moderation.verdict import normalise
from app.text.lazy import lazy_text as _l

PHRASE_MAX = 100
# What each action does, as the moderators read it wherever the action is shown (the stored value stays English).
ACTION_LABELS = {
    WatchAction.HOLD.value: _l("Hold for review"),
    WatchAction.FLAG.value: _l("Publish, and flag for review"),
    WatchAction.BLOCK.value: _l("Block: refuse the post"),
}


def watched_list() -> list[tuple[str, str]]:
    """(phrase, action) pairs for services.review.review_verdict()."""
    return [(w.phrase, w.action.value) for w in db.session.scalars(select(WatchedWord))]


def _check_phrase(phrase: str) -> None:
    if not phrase:
        raise ServiceError(_("Enter a word or phrase to watch for."), "phrase")
    if len(phrase) > PHRASE_MAX:
        raise ServiceError(_("Watched phrases can be at most %(limit)d characters.", limit=PHRASE_MAX), "phrase")
    if "\x00" in phrase or not any(c.isalnum() for c in phrase):
        raise ServiceError(_("A watched phrase needs at least one letter or digit."), "phrase")


def _action(action: str) -> WatchAction:
    try:
        return WatchAction(action)
    except ValueError as exc:
        raise ServiceError(_("Choose what happens: block, hold or flag."), "action") from exc


def add_watched_word(moderator: Member, phrase: str, action: str) -> WatchedWord:
    permissions.ensure(moderator, "manage_watched_words", None)
    phrase = " ".join((phrase or "").split())
    checks = Checks()  # the phrase's problem and the action's at once
    checks.run(lambda: _check_phrase(phrase), None)
    watch_action = checks.run(lambda: _action(action), WatchAction.FLAG)
    checks.settle()
    key = normalise(phrase)
    if db.session.scalar(select(WatchedWord.id).where(WatchedWord.phrase_key == key)):
        raise ServiceError(_("That phrase is already on the list."), "phrase")
    word = WatchedWord(phrase=phrase, phrase_key=key, action=watch_action, created_by_id=moderator.id)
    db.session.add(word)
    db.session.flush()
    audit(moderator, "add_watched_word", word, after={"phrase": phrase, "action": watch_action.value})
    db.session.commit()
    return word


def remove_watched_word(moderator: Member, word: WatchedWord) -> None:
    permissions.ensure(moderator, "manage_watched_words", None)
    audit(moderator, "remove_watched_word", word, before={"phrase": word.phrase, "action": word.action.value})
    db.session.delete(word)
    db.session.commit()
