"""The nudge detectors on realistic patient text: what they find, and what they must leave alone."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from app.services.content.nudge_detectors import (
    gives_advice,
    matches_phrase,
    nhs_number_valid,
    personal_kinds,
    staff_phrase_pattern,
)

FOUND = [
    ("Ring me on 07700 900123 any evening.", "phone"),
    ("My mobile is +44 7700 900123", "phone"),
    ("Call (555) 123-4567 after six", "phone"),
    ("Fullwidth: ０７７００ ９００１２３", "phone"),
    ("Arabic-Indic digits: ٠٧٧٠٠ ٩٠٠١٢٣", "phone"),
    ("Digits with hidden spaces 0\u200b7700 900\u200b123", "phone"),
    ("Write to ann.author@example.org if you like", "email"),
    ("ＡＮＮ＠ＥＸＡＭＰＬＥ．ＯＲＧ", "email"),
    ("We live at 12 Baker Street, come by", "address"),
    ("It is 4a Elm Rd near the park", "address"),
    ("My postcode is SW1A 1AA", "address"),
    ("DOB 12/03/1975", "birth_date"),
    ("I was born on 3rd March 1975 in Leeds", "birth_date"),
    ("date of birth: 1975-03-12", "birth_date"),
    ("My birthday is March 3, 1975", "birth_date"),
    ("NHS number 943 476 5919", "health_number"),
    ("9434765919 is on my letter", "health_number"),
    ("My MRN 1234567 is on the wristband", "health_number"),
    ("hospital number: RX123456", "health_number"),
]
# What patients write every day: none of it is personal information.
LEFT_ALONE = [
    "I take 10 mg twice a day.",
    "Since March 2021 things have been better.",
    "My blood pressure was 120/80 this morning.",
    "The appointment is at 10:30 on 12.03.2024.",
    "I was diagnosed in 2019 and again 12/03/2021.",
    "I was born in 1975 and feel every year of it.",
    "Took 2 pills on my way to Great Ormond Street.",
    "My HbA1c went from 58 to 48 mmol/mol.",
    "Walked 8,000 steps, slept 7.5 hours, 2 cups of tea.",
    "Dr Lee at St Mary's was lovely.",
    "Stage 3, grade 2, ER+ PR+ HER2-.",
    "Dosage went from 5mg to 7.5mg in 2022 then 10mg.",
    "The thread at https://example.org/t/2147483648/reply helped me.",
]
ADVICE = [
    "You should stop taking it straight away.",
    "Just double your dose, it worked for me.",
    "Don't take your tablets before bed.",
    "Don’t take your statins with grapefruit.",
    "Honestly you don't need chemo for that.",
    "YOU SHOULD STOP TAKING THE PILLS",
    "Skip your meds for a week and see.",
    "You should take 200 mg of it.",
]
NOT_ADVICE = [
    "I stopped taking it after two weeks.",
    "My doctor doubled my dose in June.",
    "You should stop worrying, you are doing great.",
    "I take 10 mg twice a day.",
    "You should ask your doctor before you change anything.",
    "I don't take the bus to chemo any more.",
    "Did you need chemo after surgery?",
]


@pytest.mark.parametrize(("text", "kind"), FOUND)
def test_each_kind_of_personal_information_is_found(text: str, kind: str) -> None:
    """Phone numbers (in any script's digits), e-mail addresses, addresses, birth dates and record numbers."""
    assert kind in personal_kinds(text)


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_everyday_patient_text_is_left_alone(text: str) -> None:
    """Doses, dates, times, blood pressure, years and lab values are not personal information."""
    assert personal_kinds(text) == []


def test_an_nhs_number_is_not_also_a_phone_number() -> None:
    """A number already named as a health-service number is asked about once, as that."""
    assert personal_kinds("943 476 5919") == ["health_number"]
    assert personal_kinds("943 476 5918") == ["phone"]  # fails the check digit: ten digits, as a phone number


@pytest.mark.parametrize(("digits", "valid"), [("9434765919", True), ("9434765918", False), ("4010232137", True)])
def test_nhs_check_digit(digits: str, valid: bool) -> None:
    """The mod-11 check digit tells an NHS number from any ten digits."""
    assert nhs_number_valid(digits) is valid


@pytest.mark.parametrize("text", ADVICE)
def test_prescriptive_wording_is_advice(text: str) -> None:
    """Telling someone to stop, skip or change their treatment is found, in any case and apostrophe."""
    assert gives_advice(text)


@pytest.mark.parametrize("text", NOT_ADVICE)
def test_sharing_experience_is_not_advice(text: str) -> None:
    """What the author did, or a question, is experience rather than advice."""
    assert not gives_advice(text)


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("miracle cure", "Try this MIRACLE  cure now", True),
        ("miracle cure", "miracle cures", False),
        ("stop * tablets", "stop your tablets", True),
        ("stop * tablets", "stop tablets", False),
        ("chemo*", "chemotherapy is not needed", True),
        ("chemo*", "no kemo here", False),
        ("a.b", "axb", False),  # a dot is a dot, never a pattern
    ],
)
def test_staff_phrases_match_whole_words_with_simple_wildcards(phrase: str, text: str, found: bool) -> None:
    """Staff phrases are words: `*` alone is one word, `*` in a word any letters, everything else literal."""
    assert matches_phrase(text, [phrase]) is found


def test_staff_phrases_cannot_be_regular_expressions() -> None:
    """A phrase written like a catastrophic regular expression is matched literally, and quickly."""
    hostile = "(a+)+$ (x|x)*"
    pattern = staff_phrase_pattern(hostile)
    started = time.perf_counter()
    assert pattern.search("a" * 5000 + "!") is None
    assert time.perf_counter() - started < 0.5
    assert re.escape("(a+)+$") in pattern.pattern


def _hostile_lines() -> list[str]:
    data = Path("/work/shared/data/hostile-inputs.txt").read_text(encoding="utf-8")
    return [line for line in data.split("\n") if line]


def test_hostile_inputs_never_break_the_detectors() -> None:
    """Every line of the shared corpus goes through every detector without an error, and quickly."""
    started = time.perf_counter()
    for line in _hostile_lines():
        personal_kinds(line)
        gives_advice(line)
        matches_phrase(line, ["stop * tablets", "chemo*"])
    assert time.perf_counter() - started < 10
