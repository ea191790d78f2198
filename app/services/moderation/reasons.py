"""Why a post is in the review queue, in the moderator's language: each reason one whole sentence.

Review items store their reasons in English (the queue is shared by a team that may read several languages, and
old rows must keep reading): each known pattern is marked here once and matched when the reason is shown; a
reason that matches none (written by older code, say) is shown as stored. Reasons are never glued into one
sentence: several reasons are several sentences, which pages show as a list.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import ngettext

from app.models.moderation import FLAG_REASON_LABELS
from app.text.lazy import LazyText
from app.text.lazy import lazy_text as _l

FIXED = {
    "may be about self-harm or suicide": _l("May be about self-harm or suicide."),
    "this group reviews every post": _l("This group reviews every post."),
    "resubmitted after rejection": _l("Resubmitted by its author after a rejection."),
    "a newer member's post with a link": _l("A newer member's post with a link."),
    "a newer member's post with an e-mail address": _l("A newer member's post with an e-mail address."),
    "a newer member's post with a phone number": _l("A newer member's post with a phone number."),
    # What the author was asked about before posting, and posted anyway (app/services/content/nudges.py).
    "the author confirmed posting what looks like a phone number": _l(
        "The author was asked about what looks like a phone number, and posted anyway."
    ),
    "the author confirmed posting what looks like an e-mail address": _l(
        "The author was asked about what looks like an e-mail address, and posted anyway."
    ),
    "the author confirmed posting what looks like a postal address": _l(
        "The author was asked about what looks like a postal address, and posted anyway."
    ),
    "the author confirmed posting what looks like a date of birth": _l(
        "The author was asked about what looks like a date of birth, and posted anyway."
    ),
    "the author confirmed posting what looks like a medical record or health-service number": _l(
        "The author was asked about what looks like a medical record or health-service number, and posted anyway."
    ),
    "the author confirmed posting what looks like personal information": _l(
        "The author was asked about what looks like personal information, and posted anyway."
    ),
    "the author confirmed posting what looks like medical advice": _l(
        "The author was asked about what looks like medical advice, and posted anyway."
    ),
    # Why an item was closed without a decision (its history shows this).
    "deleted by its author": _l("Closed: the author deleted the post."),
    "the author deleted their account": _l("Closed: the author deleted their account."),
}
# Older rows named every contact detail in one reason ("... with a link and a phone number").
COMBINED_DETAILS = re.compile(r"a newer member's post with (?P<details>.+ and .+)", re.S)
DETAIL_PREFIX = "a newer member's post with "
LABELS = {str.__str__(label): label for label in FLAG_REASON_LABELS.values()}
WATCHED = re.compile(r'contains the watched phrase "(?P<phrase>.+)" \((?P<action>block|hold|flag)\)', re.S)
# One sentence per action: "hold" alone is a word, not something a translator can place in a sentence.
WATCHED_SENTENCES = {
    "hold": _l("Contains the watched phrase “%(phrase)s”, which holds a post for review."),
    "flag": _l("Contains the watched phrase “%(phrase)s”, which flags a post for review."),
    "block": _l("Contains the watched phrase “%(phrase)s”, which blocks a post."),
}
FIRST_POSTS = re.compile(r"one of the member's first (?P<num>\d+) posts")
AFTER_EDIT = re.compile(r"after an edit: (?P<reason>.+)", re.S)
FLAGGED_WITH_DETAILS = re.compile(r"flagged: (?P<label>[^—]+?) — (?P<details>.+)", re.S)
FLAGGED = re.compile(r"flagged: (?P<label>.+)", re.S)


def shown_reasons(stored: list[str]) -> list[str]:
    """Stored review reasons as the reader's language says them, one whole sentence each."""
    return [shown for reason in stored for shown in _shown(reason)]


def _shown(stored: str) -> list[str]:
    """One stored reason: usually one sentence, several for an older row that named several contact details."""
    if stored in FIXED:
        return [str(FIXED[stored])]
    if match := COMBINED_DETAILS.fullmatch(stored):
        details = [DETAIL_PREFIX + part for part in match["details"].split(" and ")]
        if all(detail in FIXED for detail in details):
            return [str(FIXED[detail]) for detail in details]
    if match := AFTER_EDIT.fullmatch(stored):
        return [_("After an edit: %(reason)s", reason=reason) for reason in _shown(match["reason"])]
    if match := WATCHED.fullmatch(stored):
        return [_text(WATCHED_SENTENCES[match["action"]], phrase=match["phrase"])]
    if match := FIRST_POSTS.fullmatch(stored):
        num = int(match["num"])
        return [ngettext("The member's first post.", "One of the member's first %(num)d posts.", num)]
    if match := FLAGGED_WITH_DETAILS.fullmatch(stored):
        return [_("Flagged: %(label)s. In their words: “%(details)s”", label=_label(match), details=match["details"])]
    if match := FLAGGED.fullmatch(stored):
        return [_("Flagged: %(label)s.", label=_label(match))]
    return [stored]


def _text(sentence: LazyText, **values: object) -> str:
    return str(_(str.__str__(sentence), **values))


def _label(match: re.Match[str]) -> str:
    label = LABELS.get(match["label"])
    return str(label) if label is not None else match["label"]


def split_note(note: str, reasons: list[str]) -> list[str]:
    """The reasons an "opened"/"added to" history entry names: its note is those reasons joined with "; "."""
    parts, rest = [], note
    known = sorted(reasons, key=len, reverse=True)
    while rest:
        found = next((r for r in known if rest == r or rest.startswith(f"{r}; ")), None)
        if found is None:  # text no reason of the item accounts for: shown as stored
            parts.append(rest)
            break
        parts.append(found)
        rest = rest[len(found) + 2 :]
    return parts
