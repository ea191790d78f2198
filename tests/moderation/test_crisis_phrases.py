"""Crisis language is recognised in every shipped language, whichever language the author reads the pages in: real
sentences people write when at risk match, typed fast (no accents, no apostrophes, Arabic with or without its
marks), and everyday near-misses in each language do not."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from app.services.moderation.crisis import PhraseList, compile_lists, mentions_crisis, shipped_lists
from app.web.i18n import shipped_locales

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"

AT_RISK = {
    "en": [
        "Some days I think about KILLING MYSELF",
        "i dont want to live anymore",
        "I keep thinking everyone would be better off dead without me, me included",
        "I can\u2019t go on anymore",
        "I'm not suicidal, but I have been cutting myself again",
        "Sometimes I want to unalive myself",
        "I'm going to take all my pills tonight",
    ],
    "es": [
        "A veces pienso en el suicidio",
        "Tengo pensamientos suicidas desde hace semanas",
        "Me quiero morir ya",
        "ya no quiero vivir asi",
        "Quiero quitarme la vida",
        "ojala estuviera muerta",
        "QUIERO MATARME",
        "No puedo seguir viviendo así",
        "Sigo autolesionandome cuando me agobio",
        "No me quiero morir sola, pero me voy a matar",
    ],
    "fr": [
        "J'ai envie de mourir",
        "j\u2019ai envie d\u2019en finir",
        "je veux plus vivre",
        "Je pense au suicide tous les soirs",
        "Je vais me foutre en l'air",
        "je vais mettre fin a mes jours",
        "JE ME SCARIFIE depuis des mois",
        "Des pensées suicidaires reviennent",
    ],
    "de": [
        "Ich will nicht mehr leben",
        "Ich habe wieder Suizidgedanken",
        "Manchmal denke ich an Selbstmord",
        "Ich bring mich um",
        "ich moechte sterben",
        "ICH WILL MICH UMBRINGEN",
        "Ich ritze mich wieder",
        "ich waere lieber tot",
        "Ich will mir das Leben nehmen",
    ],
    "ar": [
        "أفكر في الانتحار كل يوم",
        "والله بدي انتحر",
        "سأنتحر الليلة",
        "أُرِيدُ أَنْ أَمُوتَ",
        "اريـــد ان امـــوت",
        "عايزة أموت ومش قادرة",
        "تعبت، الموت أرحم",
        "أحياناً أؤذي نفسي",
        "احيانا اوذي نفسي",
        "بفكر أقتل نفسي",
        "عندي أفكار انتحارية",
        "لا أريد أن أعيش بعد الآن",
    ],
}

NEAR_MISSES = {
    "en": [
        "I don't want to die, I want to get better",
        "This commute is killing me",
        "Killing time in the waiting room",
        "I hurt my back lifting boxes",
        "I'd like to end my lifelong sugar habit",
    ],
    "es": [
        "Leo para matar el tiempo",
        "Me muero de risa con este grupo",
        "Mañana voy a cortarme el pelo",
        "Este dolor de cabeza me mata",
        "No quiero morir sin ver a mis nietos",
        "No me quiero morir todavía",
        "Me hice daño en la rodilla",
    ],
    "fr": [
        "Je n'ai pas envie de mourir, je veux guérir",
        "Ce film m'a fait mourir de rire",
        "Ça me tue, ce mal de dos",
        "Je vais me couper les cheveux",
        "Je lis pour tuer le temps",
    ],
    "de": [
        "Ich will nicht sterben, ich will gesund werden",
        "Wir lesen, um die Zeit totzuschlagen",
        "Ich lach mich tot",
        "Das Warten bringt mich um",
        "Meine Mutter wird mich umbringen, wenn ich zu spät komme",
        "Ich kann nicht mehr schlafen",
        "Ich will die Debatte über Sterbehilfe verstehen",
    ],
    "ar": [
        "قتلت الوقت بالقراءة",
        "أموت فيك يا حبيبي",
        "كنت أموت من الضحك",
        "تعرضت لإيذاء نفسي وجسدي",
        "انتحال الشخصية جريمة",
        "لا أريد أن أموت، أريد أن أتعافى",
        "يا حياتي، شكرا",
    ],
}


def cases(sentences: dict[str, list[str]]) -> list[pytest.param]:
    return [pytest.param(text, id=f"{code}: {text}") for code, texts in sentences.items() for text in texts]


def without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def test_every_shipped_language_has_a_list() -> None:
    """Each language the pages are offered in has its own list of phrases, with phrases in it."""
    lists = shipped_lists()
    assert set(shipped_locales(TRANSLATIONS)) <= lists.keys()
    assert all(len(each.phrases) >= 20 for each in lists.values())


@pytest.mark.parametrize("text", cases(AT_RISK))
def test_sentences_of_people_at_risk_match(text: str) -> None:
    """What people write when they may harm themselves matches, however it is typed."""
    assert mentions_crisis(text)


@pytest.mark.parametrize("text", cases(NEAR_MISSES))
def test_everyday_near_misses_do_not_match(text: str) -> None:
    """Idioms, other words sharing the letters, and saying one does not want to die are not crisis language."""
    assert not mentions_crisis(text)


LISTED = [(code, phrase) for code, each in shipped_lists().items() for phrase in each.phrases]


@pytest.mark.parametrize(("code", "phrase"), LISTED)
def test_every_listed_phrase_matches_in_a_sentence_typed_fast(code: str, phrase: str) -> None:
    """Each line of each list matches as written, in capitals, and without its accents, inside a sentence."""
    written = phrase.rstrip("*")
    for typed in (written, written.upper(), without_accents(written)):
        assert mentions_crisis(f"Honestly, {typed}. That's where I am."), (code, typed)


@pytest.mark.parametrize(
    "text", ["Mi sento suicida", "Je pense au SUICIDE", "Ich habe Suizidgedanken", "الانتحار", "suicide"]
)
def test_a_phrase_matches_in_a_sentence_of_any_language(text: str) -> None:
    """The lists are checked together: a word from one language's list is found in any post."""
    assert mentions_crisis(f"Hello everyone. {text}")


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("ich will mich töten", True),
        ("ich will mich toten", True),
        ("ich will mich toeten", True),
        ("Selbstverletzendes Verhalten", True),
        ("Die Toten sind nicht vergessen", False),
        ("Überdosis aus Versehen", False),
        ("absichtlich eine Ueberdosis", True),
    ],
)
def test_german_umlauts_in_any_spelling_and_joined_words(text: str, matches: bool) -> None:
    """Umlauts match as typed, without their dots, or as ae/oe/ue; a "*" phrase matches the words built on it."""
    assert mentions_crisis(text) is matches


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("الانتحار", True),
        ("بالانتحار", True),
        ("للانتحار", True),
        ("والانتحار", True),
        ("وسأنتحر", True),
        ("إنتحار", True),  # hamza under the alef, a common typing
        ("انتــحار", True),  # tatweel
        ("فكرة الانتحارية", True),
        ("انتحال", False),
        ("مدينتحار", False),  # the letters inside a longer word
    ],
)
def test_arabic_words_with_their_joined_prefixes_and_every_way_of_typing(text: str, matches: bool) -> None:
    """Arabic phrases match with the prefixes written joined to them, with or without marks, never inside a word."""
    assert mentions_crisis(text) is matches


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("I don't want to die", False),
        ("I dont want to die", False),
        ("I don\u2019t want to die", False),
        ("I don't know. I want to die", True),
        ("I don't want to die. I want to die.", True),
        ("no quiero morir", False),
        ("no, quiero morir", True),
        ("no quiero vivir", True),  # a phrase that begins with the turning word is itself crisis language
        ("ما بدي موت", False),
        ("بدي موت", True),
        ("pas envie de mourir", False),
    ],
)
def test_a_phrase_right_after_a_not_word_is_turned_around(text: str, matches: bool) -> None:
    """ "not after" words cancel only the phrase they come right before, never a phrase that begins with them."""
    assert mentions_crisis(text) is matches


def test_a_list_without_not_after_words_matches_only_its_phrases() -> None:
    """A list with no "not after" line compiles to an expression that matches its phrases and nothing else."""
    pattern = compile_lists([PhraseList(("kill myself", "suizid*"))])
    assert [bool(pattern.search(text)) for text in ("kill myself", "suizidal", "", "kill", "x y")] == [
        True,
        True,
        False,
        False,
        False,
    ]
