"""Display names cannot be used to pass for the team or for another member: invisible and direction-changing
characters are refused, staff words are refused in any spelling, and look-alike names count as taken."""

from __future__ import annotations

import pytest

from app.services import ServiceError
from app.services.members.accounts import create_member
from app.services.members.identity import clean_display_name, display_name_key
from tests.factories import PASSWORD, make_member

INVISIBLE_OR_BIDI = {
    "zero-width space": "Ann\u200bLee",
    "zero-width joiner": "Ann\u200dLee",
    "zero-width non-joiner": "Ann\u200cLee",
    "byte-order mark": "\ufeffAnn Lee",
    "word joiner": "Ann\u2060Lee",
    "right-to-left override": "\u202eeeL nnA",
    "left-to-right isolate": "\u2066Ann Lee\u2069",
    "right-to-left mark": "Ann Lee\u200f",
    "arabic letter mark": "Ann\u061cLee",
    "soft hyphen": "Ann\u00adLee",
}


@pytest.mark.parametrize("name", INVISIBLE_OR_BIDI.values(), ids=INVISIBLE_OR_BIDI.keys())
def test_invisible_and_direction_characters_are_refused(name: str) -> None:
    """Characters that draw nothing or reorder the text around them cannot be part of a name."""
    with pytest.raises(ServiceError, match="letters, digits, spaces"):
        clean_display_name(name)


STAFF_LOOKALIKES = ["Moderator", "MODERATOR", "M0derator", "Mod-erator", "Mod.Erator", "Admin Ann", "Ann the Mod",
                    "Kindred Team", "Staff", "The Moderators", "Ann_Moderator", "Administrator"]  # fmt: skip


@pytest.mark.parametrize("name", STAFF_LOOKALIKES)
def test_names_that_read_as_the_team_are_refused(name: str) -> None:
    """Staff words are refused however they are spelled, spaced or punctuated."""
    with pytest.raises(ServiceError, match="used by the site itself"):
        clean_display_name(name)


def test_mixed_alphabet_staff_word_is_refused() -> None:
    """ "Moderator" with Cyrillic о, е and а is refused (it mixes alphabets, and reads as staff)."""
    with pytest.raises(ServiceError):
        clean_display_name("Mоdеrаtor")


@pytest.mark.parametrize("name", ["Badminton Fan", "Staffan Berg", "Modesty Blaise", "Teamster Joe", "Admiral Ann"])
def test_ordinary_names_with_staff_letters_inside_are_accepted(name: str) -> None:
    """Only whole staff words are refused: names that merely contain their letters are fine."""
    assert clean_display_name(name) == name


@pytest.mark.parametrize(
    "lookalike",
    ["ANN LEE", "Ann.Lee", "AnnLee", "Ann-Lee", "Ａｎｎ Ｌｅｅ", "Ann_Lee"],
)
def test_lookalike_of_a_members_name_counts_as_taken(app, lookalike: str) -> None:
    """A name that differs from a member's only in case, width, spacing or punctuation is taken."""
    make_member(display_name="Ann Lee")
    with pytest.raises(ServiceError, match="taken"):
        create_member(email="other@example.org", display_name=lookalike, password=PASSWORD)


def test_same_looking_name_in_another_alphabet_counts_as_taken(app) -> None:
    """Cyrillic "Роре" draws exactly like Latin "Pope": it is the same name."""
    make_member(display_name="Pope")
    assert display_name_key("Роре") == display_name_key("Pope")
    with pytest.raises(ServiceError, match="taken"):
        create_member(email="other@example.org", display_name="Роре", password=PASSWORD)


def test_digits_that_look_like_letters_count_as_taken(app) -> None:
    """ "B0b" (a zero) and "Bob" cannot both be members."""
    make_member(display_name="Bobby")
    with pytest.raises(ServiceError, match="taken"):
        create_member(email="other@example.org", display_name="B0bby", password=PASSWORD)


def test_team_accounts_may_carry_team_words(app) -> None:
    """Operators create the team's own accounts, and "Mod Sam" is what a moderator is called."""
    from app.models import Role

    member = create_member(email="sam@example.org", display_name="Mod Sam", password=PASSWORD, role=Role.MODERATOR)
    assert member.display_name == "Mod Sam"
    with pytest.raises(ServiceError, match="used by the site itself"):
        create_member(email="sam2@example.org", display_name="Mod Samuel", password=PASSWORD)
