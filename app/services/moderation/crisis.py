"""Does a text use the words people use when they may harm themselves? Asked of every post, in every language at once.

Each shipped language has its own list, written for the way people really type (app/data/crisis-phrases/<code>.txt).
A post is checked against all the lists together, whatever language its author reads the pages in: people write in
the language they think in, which is often not the one their hospital set, and a missed post costs far more than a
moderator's glance at a false alarm. Each list avoids phrases that are ordinary words in another language, and the
tests hold both sides: real sentences that must match, and near-misses in every language that must not.

A line is a phrase matched as whole words, ignoring case, width, accents and Arabic's marks, so "me quiero morir"
also finds "ME QUIERO MORÍR" and "me quiero  morir". A "*" at its end lets the last word go on ("Suizid*" finds
"Suizidgedanken", since German joins words), and an umlaut also matches its two-letter spelling ("töten", "toeten").
An Arabic phrase also matches with the prefixes Arabic writes joined to a word (and, so, with, like, for, will, the):
"انتحار" finds "بالانتحار" and "والانتحار". A "not after:" line names the words that turn the list's phrases around
when they come right before one ("no quiero morir"), so a patient who writes that they do not want to die is not
held as if they did.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.text.folding import kindred_fold

PHRASES_DIR = Path(__file__).resolve().parents[2] / "data" / "crisis-phrases"
NOT_AFTER = "not after:"
# و ف (and, so), then ب ك ل س (with, like, for, will) or the article ال after ب or ك, or ل with it (لل).
ARABIC_PREFIXES = "(?:[\u0648\u0641]?(?:[\u0628\u0643]?\u0627\u0644|\u0644\u0644|[\u0628\u0643\u0644\u0633])?)"
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3]")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
# Phone keyboards type typographic apostrophes: "can’t" must match a phrase written "can't".
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'"})


@dataclass(frozen=True)
class PhraseList:
    """One language's phrases, and the words that turn them around when right before one."""

    phrases: tuple[str, ...]
    not_after: tuple[str, ...] = ()


def crisis_fold(text: str) -> str:
    """The text as the phrases are matched against it: case, width, accents and Arabic's marks and variants folded.

    Compatibility decomposition splits every accent, and hamza or madda on alef, into a mark of its own, which goes;
    search's fold then makes one letter of Arabic's variants (ى ي, ة ه) and drops the tatweel.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text).casefold().translate(_APOSTROPHES)
    return kindred_fold("".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def read_phrase_list(path: Path) -> PhraseList:
    """One language's file: a phrase a line, a "not after:" line of comma-separated words, # comments."""
    phrases, not_after = [], []
    for line in (line.strip() for line in path.read_text(encoding="utf-8").splitlines()):
        if line.startswith(NOT_AFTER):
            not_after += [word.strip() for word in re.split("[,\u060c]", line[len(NOT_AFTER) :]) if word.strip()]
        elif line and not line.startswith("#"):
            phrases.append(line)
    return PhraseList(tuple(phrases), tuple(not_after))


def spellings(phrase: str) -> Iterator[str]:
    """The phrase, and its spelling with "ae", "oe", "ue" for umlauts, as typed on keyboards without them."""
    yield phrase
    if (spelled := phrase.lower().translate(_UMLAUTS)) != phrase.lower():
        yield spelled


def atoms(phrase: str) -> tuple[str, ...]:
    """A phrase as the regular-expression pieces of its characters: any whitespace between words, a "*" any ending."""
    words = crisis_fold(phrase.rstrip("*")).split()
    pieces = [piece for word in words for piece in (r"\s+", *map(re.escape, word))][1:]
    return (*pieces, r"\w*") if phrase.endswith("*") else tuple(pieces)


def trie_source(phrases: Iterable[str]) -> str:
    """One alternation for many phrases, as a tree of shared beginnings, so each is tried a letter at a time."""
    root: dict[str, dict] = {}
    for phrase in phrases:
        node = root
        for piece in atoms(phrase):
            node = node.setdefault(piece, {})
        node[""] = {}  # a phrase ends here
    return _branches(root)


def _branches(node: dict[str, dict]) -> str:
    branches = [piece + _branches(child) for piece, child in sorted(node.items()) if piece]
    if "" not in node:
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + "|".join(branches) + ")?" if branches else ""


def list_source(phrases: Iterable[str]) -> str:
    """Phrases as one expression; Arabic ones also with the prefixes written joined to their first word."""
    spelled = [spelling for phrase in phrases for spelling in spellings(phrase)]
    arabic = [phrase for phrase in spelled if _ARABIC_LETTER.match(crisis_fold(phrase))]
    others = [phrase for phrase in spelled if phrase not in arabic]
    sources = [trie_source(others)] if others else []
    return "|".join([*sources, ARABIC_PREFIXES + trie_source(arabic)] if arabic else sources)


def compile_lists(phrase_lists: Iterable[PhraseList]) -> re.Pattern[str]:
    """One expression for every list, each phrase matched as whole words.

    A phrase right after one of its list's "not after" words is matched together with that word, as the group
    "turned": so the search goes on after it, and a shorter phrase inside it ("quiero morir" in "no me quiero
    morir") does not match on its own. Where both could match, the phrase itself wins.
    """
    phrase_lists = list(phrase_lists)
    every = list_source(phrase for each in phrase_lists for phrase in each.phrases)
    turned = "|".join(
        rf"(?:{trie_source(each.not_after)})\s+(?:{list_source(each.phrases)})"
        for each in phrase_lists
        if each.not_after
    )
    return re.compile(rf"(?<!\w)(?:(?P<phrase>{every})|(?P<turned>{turned or '(?!)'}))(?!\w)")


def shipped_lists() -> dict[str, PhraseList]:
    """Every language's list, by language code."""
    return {path.stem: read_phrase_list(path) for path in sorted(PHRASES_DIR.glob("*.txt"))}


CRISIS_RE = compile_lists(shipped_lists().values())


def mentions_crisis(text: str) -> bool:
    """Whether the text uses a phrase of any language's list, other than turned around."""
    return any(match.lastgroup == "phrase" for match in CRISIS_RE.finditer(crisis_fold(text)))
