"""Does a post's text look like it holds personal information or medical advice? Pure functions, no database.

Each detector answers for one kind, tuned for few false alarms on the way patients write: doses ("10 mg twice a
day"), blood pressure ("120/80"), dates ("since March 2021") and years are not personal information.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from app.services.moderation.verdict import EMAIL_RE, PHONE_RE, normalise

PHONE, EMAIL, ADDRESS, BIRTH_DATE, HEALTH_NUMBER, PERSONAL, ADVICE = (
    "phone",
    "email",
    "address",
    "birth_date",
    "health_number",
    "personal",  # a staff phrase about personal information
    "advice",
)
BUILT_IN_PERSONAL = (PHONE, EMAIL, ADDRESS, BIRTH_DATE, HEALTH_NUMBER)

# Web addresses are read past: a long number in a link ("/t/2147483648") is an id, not a phone number.
URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.I)
# A UK NHS number: ten digits, usually written 3-3-4; the last is a mod-11 check digit.
NHS_RE = re.compile(r"(?<![\d\w])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d\w])")
# A record number after the words that name one: "MRN 1234567", "hospital number: RX123456".
RECORD_RE = re.compile(
    r"\b(?:mrn|medical record (?:number|no)|hospital (?:number|no)|patient (?:id|number|no)|nhs (?:number|no)"
    r"|chi (?:number|no)|medicare (?:number|no))\.?\s*(?:is\s*)?[:#]?\s*[a-z]{0,3}\d[\d -]{3,12}\d"
)
_STREET_NAMES = r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Close|Way|Boulevard|Blvd|Court|Crescent|Terrace|Place"
_STREET_WORDS = r"street|road|avenue|lane|drive|crescent|terrace|boulevard"
# A house number, one to three capitalised words and a street word: "12 Baker Street", "4 Elm Rd".
STREET_RE = re.compile(
    rf"(?<![\w/.])\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}(?:{_STREET_NAMES}|{_STREET_WORDS})\b"
)
# A British postcode as it is written, in capitals: "SW1A 1AA", "M1 1AE".
POSTCODE_RE = re.compile(r"(?<![\w])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}(?![\w])")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?:19|20)\d{{2}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})"
)
# A whole date (day, month and year) right after words that say it is a birth date.
BIRTH_RE = re.compile(
    rf"(?:\bd\.?o\.?b\b\.?|date of birth|\bborn(?: on)?|\bbirthday(?: is)?)\s*(?:is\s*)?[:-]?\s*{_DATE}"
)
_MEDICINES = (
    r"(?:meds|medication|medications|medicine|medicines|treatment|chemo\w*|insulin|tablets|pills|inhaler"
    r"|antidepressants|statins|steroids|dose|dosage)"
)
# Telling someone what to do about their treatment, not sharing what one did.
ADVICE_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\byou (?:should|must|need to|have to|ought to) (?:stop|quit|come off|skip) (?:taking|using|your)\b",
        rf"\byou (?:should|must|need to|have to|ought to) (?:double|halve|increase|decrease|reduce|lower|up)"
        rf" (?:your|the) {_MEDICINES}",
        rf"\b(?:double|triple|halve|increase|lower|reduce|cut) your {_MEDICINES}",
        r"\b(?:don't|do not|never) take your\b",
        r"\bstop taking your\b",
        rf"\b(?:stop|skip|ditch|quit|throw away|bin) your {_MEDICINES}",
        rf"\byou (?:don't|do not) need (?:chemo\w*|radio\w*|radiation|surgery|the operation|insulin|dialysis|statins"
        rf"|antidepressants|steroids|your {_MEDICINES})",
        r"\byou (?:should|must) take \d+\s?(?:mg|mcg|g|ml|units?)\b",
    )
)


def plain(text: str) -> str:
    """The text as the detectors read it: compatibility forms folded ("０７７００" is "07700"), every script's digits
    as ASCII digits (Arabic-Indic "٠٧٧٠٠" too), and invisible format characters dropped, so nobody hides a number
    from the nudge by typing it differently; case is kept (postcodes and street names are read in capitals)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c
        for c in folded
        if unicodedata.category(c) != "Cf"
    )


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's mod-11 check: weights 10 to 2 on the first nine digits; a remainder giving 10 is invalid."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return (0 if check == 11 else check) == int(digits[9]) and check != 10


def _nhs_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in NHS_RE.finditer(text) if nhs_number_valid("".join(m.groups()))]


def _without(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with these spans blanked, so a number already named (an NHS number) is not also a phone number."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def personal_kinds(text: str) -> list[str]:
    """Which built-in kinds of personal information the text seems to hold, in a fixed order."""
    text = plain(text)
    emails = EMAIL_RE.search(text) is not None
    text = URL_RE.sub(" ", text)
    folded = normalise(text)
    nhs = _nhs_spans(text)
    health = bool(nhs) or bool(RECORD_RE.search(folded))
    without_numbers = EMAIL_RE.sub(" ", _without(text, nhs))
    checks: dict[str, Callable[[], bool]] = {
        PHONE: lambda: bool(PHONE_RE.search(without_numbers)),
        EMAIL: lambda: emails,
        ADDRESS: lambda: bool(STREET_RE.search(text) or POSTCODE_RE.search(text)),
        BIRTH_DATE: lambda: bool(BIRTH_RE.search(folded)),
        HEALTH_NUMBER: lambda: health,
    }
    return [kind for kind, found in checks.items() if found()]


def gives_advice(text: str) -> bool:
    """Does the text tell someone to change or stop their treatment (the built-in wording)?"""
    folded = normalise(plain(text))
    return any(pattern.search(folded) for pattern in ADVICE_PATTERNS)


def staff_phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A staff phrase as a pattern: whole words, any case; `*` alone is any one word, `*` in a word any letters.
    Built from escaped words only, with no nested repetition, so no phrase can make matching slow."""
    parts = []
    for word in normalise(phrase).split():
        parts.append(r"\w+" if word == "*" else r"\w*".join(re.escape(piece) for piece in word.split("*")))
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")


def matches_phrase(text: str, phrases: Iterable[str]) -> bool:
    folded = normalise(plain(text))
    return any(staff_phrase_pattern(phrase).search(folded) for phrase in phrases)
