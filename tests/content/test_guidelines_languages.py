"""Guidelines per language: staff save a translation of the version in force (it keeps that version's number);
each reader gets the text in their language, or the original with a short note and its own `lang`."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import GuidelinesVersion, Role
from app.services.content.guidelines import DEFAULT_GUIDELINES
from app.services.content.guidelines_text import BUILT_IN_GUIDELINES
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_topic
from tests.support import browser, count_rows, page_text, post_reply, refreshed, soup

ENGLISH_V2 = DEFAULT_GUIDELINES + "\n## Fundraising\n\nAsk the staff before sharing a fundraiser.\n"
SPANISH_V2 = BUILT_IN_GUIDELINES["es"] + "\n## Recaudaciones\n\nPregunta al equipo antes de compartir una.\n"


@pytest.fixture
def staff(app: Flask) -> FormClient:
    return browser(app, make_member(role=Role.STAFF))


def save(client: FormClient, body: str, *, locale: str, based_on: int, note: str = "A change.", **more: str):  # noqa: ANN201
    return client.post_form(
        "/guidelines/edit", {"body": body, "note": note, "based_on": str(based_on), "locale": locale, **more}
    )


def reader(app: Flask, locale: str) -> FormClient:
    """A signed-in member who chose `locale` as their language."""
    return browser(app, make_member(locale=locale))


def guidelines_text(response) -> tuple[str, str | None]:  # noqa: ANN001
    """The shown text of the guidelines and the `lang` it is marked with (None: the page's own language)."""
    text = soup(response).select_one(".guidelines-text")
    return text.get_text(" ", strip=True), text.get("lang")


def language_note(response) -> str:  # noqa: ANN001
    note = soup(response).select_one(".notice-language")
    return note.get_text(" ", strip=True) if note else ""


def added_lines(page) -> list[str]:  # noqa: ANN001
    """The diff's added lines, without the hidden "added:" (in the page's language) before each."""
    for hidden in page.select("tr.diff-added .visually-hidden"):
        hidden.decompose()
    return [cell.get_text(strip=True) for cell in page.select("tr.diff-added td.diff-text")]


@pytest.fixture
def translated_v2(staff: FormClient) -> None:
    """Version 2 in English, then its Spanish translation (German has only the built-in version 1)."""
    assert save(staff, ENGLISH_V2, locale="en", based_on=1).status_code == 302
    assert save(staff, SPANISH_V2, locale="es", based_on=2, note="Traducción de la versión 2.").status_code == 302


def test_the_built_in_guidelines_come_in_each_shipped_language(app: Flask) -> None:
    """Before staff save anything, a Spanish or Arabic visitor reads the built-in text in their language."""
    for locale, words in (("es", "Comparte tu experiencia"), ("ar", "شارك تجربتك"), ("en", "Share experience")):
        response = browser(app).get("/guidelines", headers={"Accept-Language": locale})
        text, lang = guidelines_text(response)
        assert words in text and lang is None and language_note(response) == ""


def test_a_spanish_translation_keeps_the_version_number(app: Flask, translated_v2: None) -> None:
    """The Spanish text is stored as a translation of version 2: no version 3, the version in force stays 2."""
    rows = db.session.execute(
        select(GuidelinesVersion.number, GuidelinesVersion.locale, GuidelinesVersion.is_translation)
        .where(GuidelinesVersion.number == 2)
        .order_by(GuidelinesVersion.id)
    ).all()
    assert [tuple(row) for row in rows] == [(2, "en", False), (2, "es", True)]
    assert db.session.scalar(select(GuidelinesVersion.number).order_by(GuidelinesVersion.number.desc())) == 2


def test_a_spanish_reader_sees_the_spanish_text(app: Flask, translated_v2: None) -> None:
    """A member who reads Spanish gets version 2 in Spanish, with no note."""
    response = reader(app, "es").get("/guidelines")
    text, lang = guidelines_text(response)
    assert "Pregunta al equipo antes de compartir una." in text and lang is None
    assert "2" in soup(response).select_one(".meta").get_text()
    assert language_note(response) == ""


def test_a_german_reader_sees_the_english_with_a_note(app: Flask, translated_v2: None) -> None:
    """German has no text for version 2: a German reader gets the English, marked lang="en", with a kind note."""
    response = reader(app, "de").get("/guidelines")
    text, lang = guidelines_text(response)
    assert "Ask the staff before sharing a fundraiser." in text and lang == "en"
    assert soup(response).select_one(".guidelines-text")["dir"] == "ltr"
    note = language_note(response)
    assert "noch nicht auf Deutsch" in note and "Englisch" in note


def test_english_readers_are_unaffected(app: Flask, translated_v2: None) -> None:
    """Visitors and members reading English get the English version 2, without a note or a lang of its own."""
    for client in (browser(app), reader(app, "en")):
        response = client.get("/guidelines", headers={"Accept-Language": "en"})
        text, lang = guidelines_text(response)
        assert "Ask the staff before sharing a fundraiser." in text and "Pregunta" not in text and lang is None
        assert language_note(response) == ""


def test_visitors_get_their_browsers_language(app: Flask, translated_v2: None) -> None:
    """A visitor whose browser asks for Spanish reads the Spanish translation."""
    response = browser(app).get("/guidelines", headers={"Accept-Language": "es-ES,es;q=0.9"})
    assert "Pregunta al equipo" in guidelines_text(response)[0]


def test_an_older_version_is_read_in_its_translation(app: Flask, translated_v2: None) -> None:
    """`?version=1` in German shows the built-in German text of version 1, stored with the first save."""
    response = reader(app, "de").get("/guidelines?version=1")
    text, lang = guidelines_text(response)
    assert "Erfahrungen teilen" in text and lang is None and "Fundraising" not in text


def test_history_lists_the_readers_translations(app: Flask, translated_v2: None) -> None:
    """A Spanish reader's history shows the versions and the Spanish texts; an English reader's only the versions."""
    spanish = [
        r.get_text(" ", strip=True) for r in soup(reader(app, "es").get("/guidelines/history")).select("tbody tr")
    ]
    english = [r.get_text(" ", strip=True) for r in soup(browser(app).get("/guidelines/history")).select("tbody tr")]
    assert len(spanish) == 4 and "Traducción de la versión 2." in spanish[0]
    assert [row.split(" ")[0] for row in english] == ["2", "1"]


def test_the_diff_compares_texts_of_one_language(app: Flask, translated_v2: None) -> None:
    """Both versions exist in Spanish: the Spanish reader's diff shows the Spanish lines added. German lacks
    version 2, so a German reader's diff compares the English, marked as English, with a note."""
    spanish = soup(reader(app, "es").get("/guidelines/diff?from=1&to=2"))
    assert "## Recaudaciones" in added_lines(spanish) and spanish.select_one("td.diff-text").get("lang") is None
    german = reader(app, "de").get("/guidelines/diff?from=1&to=2")
    assert "## Fundraising" in added_lines(soup(german))
    assert soup(german).select_one("tr.diff-added td.diff-text")["lang"] == "en"
    assert "Deutsch" in language_note(german)


def test_staff_start_a_translation_from_the_languages_newest_text(app: Flask, staff: FormClient) -> None:
    """The editor offers every configured language; `?lang=fr` fills the box with the French text to start from."""
    page = soup(staff.get("/guidelines/edit?lang=fr"))
    options = [o["value"] for o in page.select("select[name=locale] option")]
    assert options == ["en", "ar", "de", "es", "fr"]
    assert page.select_one("select[name=locale] option[selected]")["value"] == "fr"
    assert "Partagez votre expérience" in page.select_one("textarea[name=body]").get_text()


def test_a_material_change_is_accepted_in_any_language(app: Flask, staff: FormClient) -> None:
    """A material English version 2 asks a Spanish member to accept it; they read it in Spanish once translated,
    accept, and post again. The translation itself asks nobody to accept anything."""
    member = make_member(locale="es", guidelines_version=1)
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    assert save(staff, ENGLISH_V2, locale="en", based_on=1, material="y").status_code == 302
    assert refreshed(member).guidelines_outdated is True
    fallback = client.get("/guidelines/accept")
    assert guidelines_text(fallback)[1] == "en" and "español" in language_note(fallback)

    other = make_member(locale="es", guidelines_version=2)
    assert save(staff, SPANISH_V2, locale="es", based_on=2).status_code == 302
    assert refreshed(other).guidelines_outdated is False
    page = client.get("/guidelines/accept")
    assert "Pregunta al equipo" in guidelines_text(page)[0] and language_note(page) == ""
    assert "## Recaudaciones" in added_lines(soup(page))
    refused = post_reply(client, topic, "Hola")  # the accept box in place, the words kept, nothing posted
    assert refused.status_code == 422 and soup(refused).select_one("input[name=accept_guidelines]") is not None
    assert client.post_form("/guidelines/accept", {"accept": "y"}).status_code == 302
    assert (refreshed(member).guidelines_version, member.guidelines_outdated) == (2, False)
    assert post_reply(client, topic, "Hola de nuevo").status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"locale": "xx"}, "Choose one of the community’s languages from the list."),
        ({"locale": ""}, "Choose one of the community’s languages from the list."),
        ({"material": "y"}, "A translation is never a material change"),
        ({"based_on": "1"}, "Someone saved version 2 while you were editing."),
        ({"body": SPANISH_V2 + "\r\n"}, "Nothing changed: the text is the same as this translation."),
    ],
)
def test_bad_translations_are_refused_and_store_nothing(
    app: Flask, staff: FormClient, translated_v2: None, fields: dict, message: str
) -> None:
    """An unknown language, a translation marked material, a stale version or an unchanged text: 422 with the
    message, and no row stored."""
    before = count_rows(GuidelinesVersion)
    response = staff.post_form(
        "/guidelines/edit",
        {"body": SPANISH_V2 + "\nMás.\n", "note": "Otra.", "based_on": "2", "locale": "es", **fields},
    )
    assert response.status_code == 422 and message in page_text(response)
    assert count_rows(GuidelinesVersion) == before


def test_an_unknown_language_on_the_first_save_stores_nothing(app: Flask, staff: FormClient) -> None:
    """Refused before anything is written: not even the built-in version 1 is stored."""
    response = save(staff, ENGLISH_V2, locale="klingon", based_on=1)
    assert response.status_code == 422 and count_rows(GuidelinesVersion) == 0


def test_a_corrected_translation_replaces_the_shown_one(app: Flask, staff: FormClient, translated_v2: None) -> None:
    """A second Spanish text for version 2 is kept beside the first (history) and shown from then on."""
    corrected = SPANISH_V2.replace("compartir una", "compartir una recaudación")
    assert save(staff, corrected, locale="es", based_on=2, note="Corrección.").status_code == 302
    assert "compartir una recaudación" in guidelines_text(reader(app, "es").get("/guidelines"))[0]
    assert count_rows(GuidelinesVersion) == 1 + 4 + 1 + 2  # version 1 and its 4 built-in texts, version 2, 2 Spanish
