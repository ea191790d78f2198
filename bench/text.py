"""Real-looking forum text for benchmark data: titles, display names and paragraphs built from sentence patterns.

The words follow what patient forums talk about, with a long tail of rarer words, so that full-text queries meet
both very common and rare terms, as they would on a real community.
"""

from __future__ import annotations

import random
from pathlib import Path

GROUP_NAMES = [
    ("Heart health", "heart-health"), ("Diabetes", "diabetes"), ("Cancer support", "cancer-support"),
    ("Mental health", "mental-health"), ("Caregivers", "caregivers"), ("Chronic pain", "chronic-pain"),
    ("Asthma and COPD", "asthma-copd"), ("Kidney disease", "kidney-disease"), ("Arthritis", "arthritis"),
    ("Multiple sclerosis", "multiple-sclerosis"), ("Long COVID", "long-covid"), ("Epilepsy", "epilepsy"),
    ("Parkinson's", "parkinsons"), ("Crohn's and colitis", "crohns-colitis"), ("Thyroid", "thyroid"),
]  # fmt: skip

WORDS_FILE = Path(__file__).resolve().parent / "words.txt"


def _sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif line and not line.startswith("#"):
            current.append(line)
    return sections


_WORDS = _sections()
FIRST, LAST = _WORDS["first names"], _WORDS["last names"]
CONDITIONS, PEOPLE, THINGS = _WORDS["conditions"], _WORDS["people"], _WORDS["things"]
PEOPLE_CARE, FEELINGS, TIMES, LIFE = _WORDS["care team"], _WORDS["feelings"], _WORDS["times"], _WORDS["life"]

SENTENCES = [
    "{Person} was diagnosed with {condition} {time}.",
    "Has anyone else had trouble with {thing} after starting on {thing2}?",
    "My {carer} suggested trying {thing} but I'm {feeling} about it.",
    "I've been managing {thing} better since I started {thing2} every day.",
    "The hardest part for me is {thing}, especially in the evenings.",
    "Thank you all for sharing, it really helps to know I'm not alone with {condition}.",
    "We saw the {carer} {time} and they want to change the dose.",
    "Does anyone have tips for keeping track of {thing} when you are away from home?",
    "I felt so {feeling} when the {carer} explained the {thing2}.",
    "It took about six weeks before the {thing} settled down.",
    "Be gentle with yourself, living with {condition} is hard work.",
    "**Update:** the {thing} is much better now and I can sleep through the night.",
    "I would ask your {carer} about {thing}; it made a real difference for {person}.",
    "Some days the {thing} is fine and other days it wears me out completely.",
    "What questions should I ask at the next appointment about {thing}?",
    "{Person} found that {thing} and {thing2} together work better than either alone.",
    "I keep a diary of {thing} and bring it to every appointment with the {carer}.",
    "Has anyone tried [the charity's guide](https://example.org/guide) on {thing}?",
    "The waiting list for {thing} here is months long, which is {feeling_adj}.",
    "Small steps: ten minutes of {thing} a day is where I started.",
    "Honestly I didn't expect {condition} to affect my {life} this much.",
    "Our {carer} was lovely but the {thing} still took ages to sort out.",
    "I'm {feeling} because the {thing} keeps getting worse at night.",
    "Welcome! Lots of us here have {condition}, so ask anything.",
    "Did your {carer} mention {thing} as an option, or only {thing2}?",
    "{Person} manages {condition} with {thing} and a lot of patience.",
    "It's been a rough month with {thing}, but I'm still here.",
    "For what it's worth, {thing} helped me more than {thing2} ever did.",
    "Remember to check with the {carer} before stopping {thing}.",
    "I find {life} easier when I plan around the {thing}.",
]


def _fill(rng: random.Random, pattern: str) -> str:
    person = rng.choice(PEOPLE)
    values = {
        "person": person,
        "Person": person[0].upper() + person[1:],
        "condition": rng.choice(CONDITIONS),
        "thing": rng.choice(THINGS),
        "thing2": rng.choice(THINGS),
        "carer": rng.choice(PEOPLE_CARE),
        "feeling": rng.choice(FEELINGS),
        "feeling_adj": rng.choice(("exhausting", "worrying", "hard", "frustrating")),
        "time": rng.choice(TIMES),
        "life": rng.choice(LIFE),
    }
    return pattern.format(**values)


def paragraph(rng: random.Random) -> str:
    """Two to five sentences of Markdown, now and then a short list."""
    text = " ".join(_fill(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(2, 5)))
    if rng.random() < 0.1:
        text += "\n\n" + "\n".join(f"- {rng.choice(THINGS)}" for _ in range(rng.randint(2, 4)))
    return text


def title(rng: random.Random) -> str:
    """A topic title: a question or a heads-up about one condition or thing."""
    patterns = [
        "Tips for {thing} with {condition}?",
        "Newly diagnosed with {condition}",
        "{thing} and {thing2}: what worked for you",
        "Feeling {feeling} about {thing}",
        "Question for the {carer}: {thing}",
        "{Person} has {condition}, where do we start?",
    ]
    text = _fill(rng, rng.choice(patterns))
    return text[0].upper() + text[1:]


def display_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct display names like "Mia Brook 12"."""
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(count)]
    return [f"{name} {n}" for n, name in enumerate(names, start=1)]
