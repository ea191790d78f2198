"""Does this post need a human to look at it first? One pure function answers, with its reasons.

No database access here: callers pass in what the rules need, so every path is easy to test and to explain.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.models.member import Role
from app.services.moderation.crisis import mentions_crisis

PUBLISH, FLAG, HOLD, BLOCK = "publish", "flag", "hold", "block"
_STRENGTH = {PUBLISH: 0, FLAG: 1, HOLD: 2, BLOCK: 3}
# Staff and moderators are the responders: their posts are never held. Mentors are peers with a badge.
NEVER_HELD_ROLES = frozenset({Role.MENTOR, Role.MODERATOR, Role.STAFF, Role.ADMIN})
NEVER_REVIEWED_ROLES = frozenset({Role.MODERATOR, Role.STAFF, Role.ADMIN})

LINK_RE = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|info|biz|co|io|shop|store|uk|us)\b", re.I)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# 9 to 15 digits with the usual separators: phone numbers, not prices, years or a date and time ("12.03.2024 10:30").
PHONE_RE = re.compile(r"(?<![\w])\+?(?:\d[\s().-]{0,2}){8,14}\d(?!\w|:\d)")
# Phone keyboards type typographic apostrophes: "can’t" must match a rule written "can't".
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'"})


@dataclass(frozen=True)
class Author:
    role: Role
    trusted: bool
    approved_posts: int


@dataclass(frozen=True)
class Verdict:
    action: str = PUBLISH
    reasons: tuple[str, ...] = field(default=())
    urgent: bool = False

    def add(self, action: str, reason: str, urgent: bool = False) -> Verdict:
        stronger = action if _STRENGTH[action] > _STRENGTH[self.action] else self.action
        return Verdict(stronger, (*self.reasons, reason), self.urgent or urgent)


def normalise(text: str) -> str:
    """Fold case and compatibility forms, so "ＳＵＩＣＩＤＥ" and "Suicide" match the same rule."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive, Unicode-aware match of a phrase; spaces match any whitespace."""
    words = [re.escape(word) for word in normalise(phrase).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def contact_details(text: str) -> list[str]:
    """Which kinds of contact or promotion details the text contains."""
    found = []
    if LINK_RE.search(EMAIL_RE.sub(" ", text)):  # the domain of an e-mail address is not a link
        found.append("a link")
    if EMAIL_RE.search(text):
        found.append("an e-mail address")
    if PHONE_RE.search(text):
        found.append("a phone number")
    return found


def review_verdict(
    *,
    author: Author,
    text: str,
    group_reviews_all: bool,
    watched: Iterable[tuple[str, str]],
    hold_first_posts: int,
    pictures: int = 0,
) -> Verdict:
    """Publish, flag, hold or block this text, with every reason that applies (strongest action wins)."""
    folded = normalise(text)
    verdict = Verdict()
    for phrase, action in watched:
        if phrase_pattern(phrase).search(folded):
            verdict = verdict.add(action, f'contains the watched phrase "{phrase}" ({action})')
    if verdict.action == BLOCK or author.role in NEVER_REVIEWED_ROLES:
        return verdict if verdict.action == BLOCK else Verdict()
    if mentions_crisis(text):
        action = FLAG if author.role in NEVER_HELD_ROLES else HOLD
        verdict = verdict.add(action, "may be about self-harm or suicide", urgent=True)
    if author.role in NEVER_HELD_ROLES:
        return verdict
    if group_reviews_all:
        verdict = verdict.add(HOLD, "this group reviews every post")
    if author.approved_posts < hold_first_posts:
        verdict = verdict.add(HOLD, f"one of the member's first {hold_first_posts} posts")
    if not author.trusted:
        for detail in contact_details(text):  # one whole reason each: joined with "and" they read in English only
            verdict = verdict.add(HOLD, f"a newer member's post with {detail}")
        if pictures:  # a picture can show a face, an address or worse: a moderator looks first
            verdict = verdict.add(HOLD, "a newer member's post with pictures")
    return verdict
