"""The pure rules for display names, e-mail addresses and passwords (app/services/members/identity.py)."""

import re

import pytest

from app.services import ServiceError
from app.services.members.identity import (
    COMMON_PASSWORDS_FILE,
    check_password,
    clean_display_name,
    display_name_key,
    normalize_email,
)

LENGTH = "3 to 30 characters"
SPACES = "single spaces"
CHARACTERS = "letters, digits, spaces and - _ . ' only"
MARKS = "may not stack accents or marks"
ALPHABET = "single alphabet"
LETTER = "at least one letter"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Ann", "Ann"),
        ("A" * 30, "A" * 30),
        ("  Ann Lee  ", "Ann Lee"),
        ("O'Brien", "O'Brien"),
        ("Jean-Luc", "Jean-Luc"),
        ("quiet_oak.2", "quiet_oak.2"),
        ("Zoë Łukasz", "Zoë Łukasz"),
        ("Nguyễn Văn", "Nguyễn Văn"),
        ("Ａｎｎ Ｌｅｅ", "Ann Lee"),  # fullwidth letters and ideographic space
        ("ﬁnn", "finn"),  # ligature
        ("Иван", "Иван"),
        ("Ана Мария", "Ана Мария"),
        ("राहुल", "राहुल"),
        ("Ελένη", "Ελένη"),
        ("田中太郎", "田中太郎"),
        ("محمد", "محمد"),
        ("مُحَمَّد", "مُحَمَّد"),  # Arabic written with its vowel marks
        ("Ọ̀ṣun", "Ọ̀ṣun"),  # Yoruba: a letter carrying two marks
    ],
)
def test_display_name_accepted_and_normalised(given, stored):
    """Ordinary names in any single alphabet are accepted and stored in NFKC form."""
    assert clean_display_name(given) == stored


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("Al", LENGTH),
        ("A" * 31, LENGTH),
        ("   ", LENGTH),
        ("Ann  Lee", SPACES),
        ("Ann\tLee", CHARACTERS),
        ("Ann\nLee", CHARACTERS),
        ("Ann\x07Lee", CHARACTERS),  # control character
        ("Ann\u200bLee", CHARACTERS),  # zero-width space
        ("Ann\u200dLee", CHARACTERS),  # zero-width joiner
        ("Ann\u00adLee", CHARACTERS),  # soft hyphen
        ("Ann\u202eeeL", CHARACTERS),  # right-to-left override
        ("Ann\u2066Lee\u2069", CHARACTERS),  # bidi isolate
        ("Admin\u034f", CHARACTERS),  # combining grapheme joiner: draws nothing
        ("Admin\ufe0f", CHARACTERS),  # variation selector: draws nothing
        ("\u3164\u3164\u3164", CHARACTERS),  # Hangul filler: a "letter" that draws nothing
        ("Ann<b>", CHARACTERS),
        ("Ann@Lee", CHARACTERS),
        ("Ann 🙂", CHARACTERS),
        ("Z\u0336\u0335\u0334algo", MARKS),  # three stacked marks
        ("\u0301Ann", MARKS),  # a mark with no letter under it
        ("Αdmin", ALPHABET),  # Greek capital alpha
        ("Pаypal", ALPHABET),  # Cyrillic a
        ("Иван Petrov", ALPHABET),
        ("1234", LETTER),
        ("-_.'", LETTER),
    ],
)
def test_display_name_refused_with_reason(given, message):
    """Display names that are too short or long, invisible, stacked or mixed-script are refused, saying why."""
    with pytest.raises(ServiceError, match=re.escape(message)) as refused:
        clean_display_name(given)
    assert refused.value.field == "display_name"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Ann Lee", "ANN LEE"),
        ("Ann Lee", "ann lee"),
        ("Ann Lee", "Ａｎｎ Ｌｅｅ"),
        ("Straße", "STRASSE"),
        ("Иван", "ИВАН"),
    ],
)
def test_display_name_key_ignores_case_and_width(one, other):
    """Names differing only in case or character width share one key, so they cannot both be taken."""
    assert display_name_key(one) == display_name_key(other)


def test_display_name_key_tells_different_names_apart():
    """Names that differ in a letter have different keys."""
    assert display_name_key("Ann Lee") != display_name_key("Ann Lea")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("ann@example.org", "ann@example.org"),
        ("Ann.Lee@Example.ORG", "ann.lee@example.org"),
        ("  ann@example.org  ", "ann@example.org"),
    ],
)
def test_email_normalised_lower_case(given, stored):
    """Addresses are stored trimmed and lower-cased, so lookups ignore case."""
    assert normalize_email(given) == stored


@pytest.mark.parametrize(
    "given",
    ["", "ann", "ann@", "@example.org", "ann@@example.org", "ann lee@example.org", "ann@example", "ann@example..org"],
)
def test_invalid_email_refused(given):
    """Malformed addresses are refused with a message on the e-mail field."""
    with pytest.raises(ServiceError, match="valid e-mail address") as refused:
        normalize_email(given)
    assert refused.value.field == "email"


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "tulipriver",  # exactly 10 characters
        ("plum kettle " * 20)[:200],  # exactly 200 characters
        "Ünïcödé wörds ärë fïnë",
    ],
)
def test_good_password_accepted(password):
    """A long, uncommon passphrase passes."""
    check_password(password, email="ann@example.org", display_name="Ann Lee")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("tulip rvr", "at least 10 characters"),
        ("", "at least 10 characters"),
        ("x" + "plum kettle " * 20, "at most 200 characters"),
        ("basketball", "too common"),
        ("BasketBall", "too common"),
        ("qwertyuiop", "too common"),
        ("1234567890", "too common"),
        ("liverpool1", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("ababababab", "too common"),
    ],
)
def test_weak_password_refused(password, message):
    """Passwords that are too short, too long or common are refused on the password field."""
    with pytest.raises(ServiceError, match=re.escape(message)) as refused:
        check_password(password, email="ann@example.org", display_name="Ann Lee")
    assert refused.value.field == "password"


def test_every_listed_common_password_refused():
    """Each entry of the bundled common-password list is refused."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    listed = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert len(listed) > 1000
    accepted = []
    for password in listed:
        try:
            check_password(password)
        except ServiceError:
            continue
        accepted.append(password)
    assert accepted == []


@pytest.mark.parametrize(
    "password",
    [
        "marigold.sunrise@example.org",
        "Marigold.Sunrise@Example.org",
        "marigold.sunrise",  # the part before the @
        "Marigold Sunrise",
        "MARIGOLD SUNRISE",
    ],
)
def test_password_equal_to_email_or_display_name_refused(password):
    """A password that is the member's own e-mail address or display name is refused."""
    with pytest.raises(ServiceError, match="must not be your e-mail address or display name"):
        check_password(password, email="marigold.sunrise@example.org", display_name="Marigold Sunrise")
