"""The crisis-support panel speaks the reader's language: a default with local helplines for every shipped
language, each editable by staff, and the community's default language's text where a language has none."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.models import Member, Role
from app.services.moderation.settings import TEXT_SETTINGS, crisis_panel_key
from tests.factories import make_group, make_member, make_topic
from tests.support import browser, newest_post, open_item, post_reply, soup, write_catalogues

CRISIS = "Some nights I want to end my life."
HELPLINES = {
    "en": ["988", "Samaritans: 116 123"],
    "es": ["024", "112"],
    "fr": ["3114", "112"],
    "de": ["0800 111 0 111", "TelefonSeelsorge"],
    "ar": ["الطوارئ"],
}


@pytest.fixture(scope="session")
def translations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Italian has no crisis panel of its own: its readers get the community's default language's.
    languages = {"es": {"Groups": "Grupos"}, "ar": {"Groups": "المجموعات"}, "it": {"Groups": "Gruppi"}}
    return write_catalogues(tmp_path_factory.mktemp("translations"), languages)


@pytest.fixture
def app_overrides(translations: Path) -> dict:
    return {"BABEL_TRANSLATION_DIRECTORIES": str(translations)}


def panel_after_crisis_post(app: Flask, member: Member) -> str:
    topic = make_topic(group=make_group(members=(member,)), title="Bad nights")
    return soup(post_reply(browser(app, member), topic, CRISIS)).select_one("section.crisis-panel").get_text()


@pytest.mark.parametrize("code", HELPLINES)
def test_every_shipped_language_has_a_default_panel_with_its_helplines(code: str) -> None:
    panel = TEXT_SETTINGS[crisis_panel_key(code)]
    assert all(number in panel for number in HELPLINES[code])


@pytest.mark.parametrize(("locale", "expected"), [("es", "024"), ("ar", "الطوارئ"), (None, "988")])
def test_the_panel_is_in_the_readers_language(app: Flask, locale: str | None, expected: str) -> None:
    shown = panel_after_crisis_post(app, make_member(locale=locale))
    assert expected in shown


def test_a_language_without_a_panel_gets_the_default_languages(app: Flask) -> None:
    shown = panel_after_crisis_post(app, make_member(locale="it"))
    assert "Samaritans: 116 123" in shown


@pytest.mark.parametrize(
    ("locale", "text", "helpline"),
    [(None, "والله بدي انتحر", "988"), ("es", "Ich will nicht mehr leben.", "024"), ("ar", "I want to die", "الطوارئ")],
)
def test_crisis_words_in_another_language_than_the_pages_are_held(
    app: Flask, locale: str | None, text: str, helpline: str
) -> None:
    """A member writing in another language than their pages' is held urgently all the same, and shown the panel
    in the language they read."""
    member = make_member(locale=locale)
    topic = make_topic(group=make_group(members=(member,)), title="Bad nights")
    panel = soup(post_reply(browser(app, member), topic, text)).select_one("section.crisis-panel")
    assert helpline in panel.get_text()
    item = open_item(newest_post())
    assert item is not None and item.urgent


def test_staff_edit_each_languages_panel(app: Flask) -> None:
    staff = browser(app, make_member(role=Role.STAFF))
    page = soup(staff.get("/mod/settings"))
    fields = {area["name"]: area for area in page.select("textarea")}
    assert {"crisis_panel", "crisis_panel_es", "crisis_panel_ar"} <= fields.keys()
    assert fields["crisis_panel_ar"]["lang"] == "ar" and fields["crisis_panel_ar"]["dir"] == "auto"
    form = {"hold_first_posts": "2", "trusted_after_posts": "2", "flags_to_hide": "3"}
    form |= {name: area.get_text().strip() for name, area in fields.items()}
    form["crisis_panel_es"] = "Llama al **Teléfono de la Esperanza: 717 003 717**."
    assert staff.post_form("/mod/settings", form).status_code == 302
    assert "717 003 717" in panel_after_crisis_post(app, make_member(locale="es"))
    assert "Samaritans: 116 123" in panel_after_crisis_post(app, make_member())


def test_an_empty_panel_is_refused_and_nothing_changes(app: Flask) -> None:
    staff = browser(app, make_member(role=Role.STAFF))
    form = {"hold_first_posts": "2", "trusted_after_posts": "2", "flags_to_hide": "3", "crisis_panel_es": "   "}
    response = staff.post_form("/mod/settings", form)
    assert response.status_code == 422
    assert "Enter between 1 and 5,000 characters." in response.get_data(as_text=True)
    assert "024" in panel_after_crisis_post(app, make_member(locale="es"))
