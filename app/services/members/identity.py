"""Rules for the names, e-mail addresses and passwords members choose. Pure functions, no database."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from confusable_homoglyphs import confusables
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from app.services import ServiceError

DISPLAY_NAME_MIN = 3
DISPLAY_NAME_MAX = 30
PASSWORD_MIN = 10
PASSWORD_MAX = 200  # argon2 handles more, but nobody types this much and it bounds hashing work
NAME_PUNCTUATION = frozenset("-_.'")
# Names the site itself uses: "Former member" stands for every deleted account (services.erasure).
RESERVED_NAME_KEYS = frozenset({"formermember"})  # skeletons (display_name_key)
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "common-passwords.txt"
# The letters and marks that draw nothing (Unicode's default-ignorable ones): "Admin" followed by one of them
# would look exactly like "Admin", and a name made of Hangul fillers would look like no name at all.
INVISIBLE_LETTERS_AND_MARKS = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def normalize_email(email: str) -> str:
    """The stored form of an address: validated syntax, lower-cased, so lookups ignore case."""
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ServiceError(_("Enter a valid e-mail address."), "email") from exc
    return result.normalized.lower()


# Words that would make a name read as the site's own voice. Compared by skeleton, so "Моdеrаtоr" in Cyrillic,
# "M0derator" and "Mod-erator" are caught too.
STAFF_WORDS = frozenset(
    {"moderator", "moderators", "mod", "mods", "admin", "administrator", "staff", "kindred", "team", "official"}
)
# Look-alikes inside the Latin alphabet and its digits that Unicode's confusables table leaves to the reader.
LATIN_LOOKALIKES = str.maketrans({"1": "l", "|": "l", "0": "o"})
SEPARATORS = frozenset(" ") | NAME_PUNCTUATION


@cache
def _latin_lookalike(char: str) -> str:
    """The Latin letter this character is drawn like (Cyrillic "а" → "a"), or the character itself."""
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
    for homoglyph in found[0]["homoglyphs"] if found else ():
        if len(homoglyph["c"]) == 1 and homoglyph["c"].isascii():
            return homoglyph["c"]
    return char


def name_skeleton(name: str) -> str:
    """What a name looks like, without case, width, spacing, punctuation or look-alike letters (after UTS #39's
    skeleton): two names with one skeleton cannot be told apart at a glance."""
    # Case first: Unicode lists "В" as a look-alike of "B" but "в" of nothing, and "Иван" must equal "ИВАН".
    name = unicodedata.normalize("NFKC", name).translate(LATIN_LOOKALIKES).casefold()
    return "".join(_latin_lookalike(char) for char in name if char not in SEPARATORS)


def display_name_key(name: str) -> str:
    """The comparison form of a display name, unique among members: "Ann", "ANN", fullwidth "Ａｎｎ", Cyrillic "Аnn"
    and "A.nn" are one name, so nobody can take a name that reads as another member's."""
    return name_skeleton(name)


def _reads_as_staff(name: str) -> bool:
    words = "".join(" " if char in SEPARATORS else char for char in name).split()
    skeletons = {name_skeleton(word) for word in words} | {name_skeleton(name)}
    return bool(skeletons & STAFF_WORDS) or "moderator" in name_skeleton(name)


def clean_display_name(name: str, *, team: bool = False) -> str:
    """Return the display name as stored, or raise ServiceError saying what to change. Staff words ("Moderator")
    are for the `team`'s own accounts, which operators create."""
    name = unicodedata.normalize("NFKC", name.strip())
    if not DISPLAY_NAME_MIN <= len(name) <= DISPLAY_NAME_MAX:
        raise ServiceError(
            _("Display names are %(min)d to %(max)d characters long.", min=DISPLAY_NAME_MIN, max=DISPLAY_NAME_MAX),
            "display_name",
        )
    if "  " in name:
        raise ServiceError(_("Use single spaces between words."), "display_name")
    marks_in_a_row = 0
    for index, char in enumerate(name):
        if char in INVISIBLE_LETTERS_AND_MARKS:
            raise ServiceError(_("Display names may use letters, digits, spaces and - _ . ' only."), "display_name")
        category = unicodedata.category(char)
        # Accents and vowel signs only after a letter, two at most: no stacked "Zalgo" marks.
        if category[0] == "M":
            marks_in_a_row += 1
            if index == 0 or marks_in_a_row > 2:
                raise ServiceError(_("Display names may not stack accents or marks."), "display_name")
            continue
        marks_in_a_row = 0
        if not (category[0] == "L" or category == "Nd" or char == " " or char in NAME_PUNCTUATION):
            raise ServiceError(_("Display names may use letters, digits, spaces and - _ . ' only."), "display_name")
    if not any(unicodedata.category(c)[0] == "L" for c in name):
        raise ServiceError(_("Display names need at least one letter."), "display_name")
    if display_name_key(name) in RESERVED_NAME_KEYS:
        raise ServiceError(_("That name is used by the site itself. Please choose another."), "display_name")
    # Mixing look-alike alphabets ("Αdmin" with a Greek A) is how staff get impersonated. Combining marks
    # (script "Inherited", like Arabic vowel signs) belong to the letter they sit on, as in Unicode's UTS #39.
    if confusables.is_mixed_script(name, allowed_aliases=["COMMON", "INHERITED"]):
        raise ServiceError(
            _("Display names must use a single alphabet, so nobody can be mistaken for someone else."),
            "display_name",
        )
    if not team and _reads_as_staff(name):
        raise ServiceError(_("That name is used by the site itself. Please choose another."), "display_name")
    return name


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line and not line.startswith("#"))


def check_password(password: str, *, email: str = "", display_name: str = "") -> None:
    """Raise ServiceError when a new password is too weak to protect health data."""
    if len(password) < PASSWORD_MIN:
        raise ServiceError(_("Use a password of at least %(num)d characters.", num=PASSWORD_MIN), "password")
    if len(password) > PASSWORD_MAX:
        raise ServiceError(_("Use a password of at most %(num)d characters.", num=PASSWORD_MAX), "password")
    folded = password.casefold()
    if folded in _common_passwords() or len(set(folded)) < 4:
        raise ServiceError(_("That password is too common. Try a few unrelated words together."), "password")
    personal = {email.casefold(), email.partition("@")[0].casefold(), display_name_key(display_name)}
    if folded in personal - {""} or name_skeleton(password) == display_name_key(display_name):
        raise ServiceError(_("Your password must not be your e-mail address or display name."), "password")
