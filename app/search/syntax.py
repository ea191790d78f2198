"""What a member typed, turned into search terms: words, "quoted phrases" and prefixes (diab*).

The member's text never reaches the database engine's query language. It is cut to MAX_QUERY characters, reduced
to runs of letters and digits, and each term is then quoted for the engine (see app.search.engines), so operators,
quotes, brackets and odd Unicode are only ever words or separators.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.text.folding import ARABIC_MARKS, kindred_fold

MAX_QUERY = 200
MAX_TERMS = 12
MIN_PREFIX = 2  # "d*" would match half the index
AUTO_PREFIX_MIN = 3  # the last word typed is also a prefix: "diab" finds "diabetes"

# Letters and digits, and the combining marks written inside words (Latin accents typed apart, Arabic harakat),
# which Python counts as neither: a snippet marks "بِالتَّعَبِ" as one word, not as five.
_LETTER = f"(?:[^\\W_]|[\u0300-\u036f{ARABIC_MARKS}])"
WORD = re.compile(f"{_LETTER}+")
WORD_OR_PREFIX = re.compile(f"({_LETTER}+)(\\*?)")
QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})


@dataclass(frozen=True)
class Term:
    """One word (possibly a prefix), or a phrase of several words that must appear in this order."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    truncated: bool = False

    def __bool__(self) -> bool:
        return bool(self.terms)

    def highlight_words(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """Folded whole words and folded prefixes to mark in titles and snippets."""
        exact = {fold(w) for term in self.terms for w in term.words if not term.prefix}
        prefixes = tuple(fold(term.words[0]) for term in self.terms if term.prefix)
        return frozenset(exact), prefixes


def fold(word: str) -> str:
    """Lower case without accents or Arabic marks, as both engines index words ("Café" -> "cafe")."""
    if word.isascii():  # most words: nothing to decompose (snippets fold every word they show)
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", kindred_fold(word))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _clean(text: str) -> str:
    """NFKC, folded as the index is, typographic quotes as plain ones, and control/format/unassigned characters as
    spaces."""
    text = kindred_fold(unicodedata.normalize("NFKC", text)).translate(QUOTES)
    return "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)


def _phrase(segment: str) -> list[Term]:
    words = tuple(WORD.findall(segment))
    return [Term(words)] if words else []


def _words(segment: str) -> list[Term]:
    return [
        Term((word,), prefix=bool(star) and len(word) >= MIN_PREFIX) for word, star in WORD_OR_PREFIX.findall(segment)
    ]


def parse(raw: str | None) -> ParsedQuery:
    """The terms of a search box entry: all of them must match (there are no operators to learn)."""
    raw = raw or ""
    truncated = len(raw) > MAX_QUERY
    text = _clean(raw[:MAX_QUERY])
    segments = text.split('"')
    closed = len(segments) % 2 == 1  # an odd number of quote marks leaves the last phrase open
    terms: list[Term] = []
    for index, segment in enumerate(segments):
        inside = index % 2 == 1 and (closed or index < len(segments) - 1)
        terms += _phrase(segment) if inside else _words(segment)
    if terms and not text.rstrip().endswith('"'):
        last = terms[-1]
        if not last.is_phrase and not last.prefix and len(last.words[0]) >= AUTO_PREFIX_MIN:
            terms[-1] = Term(last.words, prefix=True)
    unique = tuple(dict.fromkeys(terms))
    return ParsedQuery(unique[:MAX_TERMS], truncated or len(unique) > MAX_TERMS)
