"""Why a post is in the review queue, in the moderator's language.

Review items store their reasons in English (the queue is shared by a team that may read several languages, and
old rows must keep reading): each known pattern is marked here once and matched when the reason is shown; a
reason that matches none (written by older code, say) is shown as stored.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from app.models.moderation import FLAG_REASON_LABELS
from app.text.lazy import lazy_text as _l

FIXED = {
    "may be about self-harm or suicide": _l("may be about self-harm or suicide"),
    "this group reviews every post": _l("this group reviews every post"),
}
LABELS = {str.__str__(label): label for label in FLAG_REASON_LABELS.values()}
# (stored pattern, its translatable sentence); the sentence's placeholders are the pattern's named groups.
PATTERNS = [
    (re.compile(r"after an edit: (?P<reason>.+)", re.S), _l("after an edit: %(reason)s")),
    (re.compile(r"flagged: (?P<label>[^—]+?) — (?P<details>.+)", re.S), _l("flagged: %(label)s — %(details)s")),
    (re.compile(r"flagged: (?P<label>.+)", re.S), _l("flagged: %(label)s")),
    (
        re.compile(r'contains the watched phrase "(?P<phrase>.+)" \((?P<action>block|hold|flag)\)', re.S),
        _l('contains the watched phrase "%(phrase)s" (%(action)s)'),
    ),
    (re.compile(r"one of the member's first (?P<num>\d+) posts"), _l("one of the member's first %(num)s posts")),
]


def shown_reason(stored: str) -> str:
    """A stored review reason as the current reader's language says it."""
    if stored in FIXED:
        return str(FIXED[stored])
    for pattern, sentence in PATTERNS:
        match = pattern.fullmatch(stored)
        if match is None:
            continue
        values = match.groupdict()
        if "reason" in values:
            values["reason"] = shown_reason(values["reason"])
        if "label" in values:
            label = LABELS.get(values["label"])
            values["label"] = str(label) if label is not None else values["label"]
        return str(_(str.__str__(sentence), **values))
    return stored
