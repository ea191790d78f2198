"""Which language a page is written in: the member's choice, then the switch's cookie, then the browser's
Accept-Language, then the community's default; per-language page caching; the settings page and its bad input.

These tests run against small catalogues of their own (Spanish and Arabic, a few strings each), built here with
Babel, so that they test the choosing and caching whatever the shipped catalogues hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from app.models import Member
from tests.conftest import FormClient
from tests.factories import make_member, make_topic
from tests.support import page_cache_on, write_catalogues

TRANSLATED = {
    "es": {"Groups": "Grupos", "Sign in": "Iniciar sesión", "Your language and time zone are saved.": "Guardado."},
    "ar": {"Groups": "المجموعات", "Sign in": "تسجيل الدخول"},
}


@pytest.fixture(scope="session")
def translations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_catalogues(tmp_path_factory.mktemp("translations"), TRANSLATED)


@pytest.fixture
def app_overrides(translations: Path, tmp_path: Path) -> dict:
    return {
        "BABEL_TRANSLATION_DIRECTORIES": str(translations),
        **page_cache_on(tmp_path),
    }


def html_lang(response) -> tuple[str, str]:  # noqa: ANN001
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', response.get_data(as_text=True))
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


def test_visitors_get_the_best_match_of_their_browser(client: FormClient) -> None:
    spanish = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert html_lang(spanish) == ("es", "ltr")
    assert ">Grupos</a>" in spanish.get_data(as_text=True)
    unknown = client.get("/", headers={"Accept-Language": "ja"})
    assert html_lang(unknown) == ("en", "ltr")
    assert ">Groups</a>" in unknown.get_data(as_text=True)


def test_arabic_pages_run_right_to_left(client: FormClient) -> None:
    page = client.get("/", headers={"Accept-Language": "ar"})
    assert html_lang(page) == ("ar", "rtl")
    assert ">المجموعات</a>" in page.get_data(as_text=True)


def test_the_footer_switch_remembers_a_visitors_choice(client: FormClient) -> None:
    page = client.get("/guidelines").get_data(as_text=True)
    switch = re.search(r'<form class="language-switch" method="get" action="/language">.*?</form>', page, re.S)
    assert switch and 'name="next" value="/guidelines"' in switch.group(0)
    assert 'name="csrf_token"' not in switch.group(0)  # visitors' pages are shared: no token of anyone's
    response = client.get("/language?language=es&next=/guidelines", headers={"Accept-Language": "en"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/guidelines"
    assert "kindred_lang=es" in response.headers["Set-Cookie"]
    assert html_lang(client.get("/", headers={"Accept-Language": "en"}))[0] == "es"


@pytest.mark.parametrize("query", ["language=xx&next=/", "language=es&next=//evil.example", "next=https://x.org"])
def test_the_switch_refuses_unknown_languages_and_foreign_addresses(client: FormClient, query: str) -> None:
    response = client.get(f"/language?{query}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert ("kindred_lang=es" in response.headers.get("Set-Cookie", "")) == query.startswith("language=es")


def test_a_members_choice_wins_over_the_browser(client: FormClient, login_as) -> None:  # noqa: ANN001
    member = make_member(locale="es")
    login_as(member)
    client.set_cookie("kindred_lang", "ar")
    assert html_lang(client.get("/", headers={"Accept-Language": "en"}))[0] == "es"


def test_members_choose_language_and_time_zone(client: FormClient, login_as) -> None:  # noqa: ANN001
    member = make_member()
    login_as(member)
    page = client.get("/account/language")
    assert page.status_code == 200
    assert 'name="language"' in page.get_data(as_text=True)
    assert '<option value="Europe/Madrid">Europe/Madrid</option>' in page.get_data(as_text=True)
    response = client.post_form("/account/language", {"language": "es", "timezone": "Europe/Madrid"})
    assert response.status_code == 302
    assert "kindred_lang=es" in response.headers["Set-Cookie"]
    saved = db.session.get(Member, member.id)
    assert (saved.locale, saved.timezone) == ("es", "Europe/Madrid")
    assert "Guardado." in client.get(response.headers["Location"]).get_data(as_text=True)  # told in the new language


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"language": "xx", "timezone": "UTC"}, "language", "Choose one of the languages in the list."),
        ({"language": "es", "timezone": "Mars/Olympus"}, "timezone", "Choose a time zone from the list."),
        ({"language": "", "timezone": "UTC"}, "language", "Choose one of the languages in the list."),
    ],
)
def test_bad_choices_are_refused_and_nothing_is_stored(
    client: FormClient,
    login_as,  # noqa: ANN001
    form: dict,
    field: str,
    message: str,
) -> None:
    member = make_member()
    login_as(member)
    response = client.post_form("/account/language", form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error">{message}' in page
    saved = db.session.get(Member, member.id)
    assert (saved.locale, saved.timezone) == (None, None)


def test_the_footer_switch_of_a_member_saves_the_language(client: FormClient, login_as) -> None:  # noqa: ANN001
    member = make_member(timezone="Asia/Beirut")
    login_as(member)
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<form class="language-switch" method="post" action="/account/language">', page)
    response = client.post_form("/account/language", {"language": "ar", "next": "/"})
    assert response.headers["Location"] == "/"
    saved = db.session.get(Member, member.id)
    assert (saved.locale, saved.timezone) == ("ar", "Asia/Beirut")  # the switch sends no time zone: kept


def test_cached_visitor_pages_are_kept_per_language(client: FormClient) -> None:
    topic = make_topic(title="Sleep after surgery")
    url = f"/t/{topic.id}/{topic.slug}"
    spanish = client.get(url, headers={"Accept-Language": "es"})
    english = client.get(url, headers={"Accept-Language": "en"})
    assert html_lang(spanish)[0] == "es"
    assert html_lang(english)[0] == "en"  # not the Spanish page stored a moment ago
    assert spanish.headers["ETag"] != english.headers["ETag"]
    assert "Accept-Language" in english.headers["Vary"]
    again = client.get(url, headers={"Accept-Language": "es", "If-None-Match": spanish.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"LOCALES": ("en", "xx")}, "Unknown language 'xx'"),
        ({"DEFAULT_LOCALE": "fr"}, "Unknown language 'fr'"),
        ({"LOCALES": ("en",), "DEFAULT_LOCALE": "es"}, "KINDRED_DEFAULT_LOCALE=es is not one of"),
    ],
)
def test_a_mistyped_language_setting_stops_the_app(translations: Path, overrides: dict, problem: str) -> None:
    with pytest.raises(RuntimeError, match=problem):
        create_app("testing", {"BABEL_TRANSLATION_DIRECTORIES": str(translations), **overrides})


def test_the_community_can_offer_fewer_languages(translations: Path) -> None:
    app: Flask = create_app(
        "testing", {"BABEL_TRANSLATION_DIRECTORIES": str(translations), "LOCALES": ("es", "en"), "DEFAULT_LOCALE": "es"}
    )
    assert app.config["LOCALES"] == ("es", "en")
    assert app.config["BABEL_DEFAULT_LOCALE"] == "es"
