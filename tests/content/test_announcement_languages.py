"""Announcements per language: staff write the banner's text in each language they like; every reader gets theirs
(their chosen language, else their browser's), or the original marked with its own `lang`."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Announcement, AnnouncementDismissal, AnnouncementTranslation, Role
from app.services import ServiceError
from app.services.content.announcements import create_announcement
from tests.conftest import FormClient
from tests.factories import make_member
from tests.support import browser, count_rows, page_text, soup

ORIGINAL = "The forum is **down for maintenance** on Sunday."
TEXTS = {
    "text_es": "El foro estará **en mantenimiento** el domingo.",
    "text_fr": "Le forum sera **en maintenance** dimanche.",
}


@pytest.fixture
def staff(app: Flask) -> FormClient:
    return browser(app, make_member(role=Role.STAFF))


def announce(client: FormClient, body: str = ORIGINAL, **texts: str):  # noqa: ANN201
    return client.post_form("/staff/announcements", {"body": body, "ends_on": "", **texts})


def banner(response) -> tuple[str, str | None]:  # noqa: ANN001
    """The one banner's text and the `lang` it is marked with (None: the page's own language)."""
    bodies = soup(response).select(".banner .banner-body")
    assert len(bodies) == 1, bodies
    return bodies[0].get_text(" ", strip=True), bodies[0].get("lang")


@pytest.fixture
def announced(staff: FormClient) -> Announcement:
    assert announce(staff, **TEXTS).status_code == 302
    return db.session.scalar(select(Announcement))


def test_the_form_has_a_box_for_each_other_language(app: Flask, staff: FormClient) -> None:
    """Besides the original (in English, the default), one optional box per language, marked with its language."""
    boxes = soup(staff.get("/staff/announcements")).select("textarea[name^=text_]")
    assert [(box["name"], box["lang"]) for box in boxes] == [
        ("text_ar", "ar"), ("text_de", "de"), ("text_es", "es"), ("text_fr", "fr")
    ]  # fmt: skip
    assert soup(staff.get("/staff/announcements")).select_one("textarea[name=text_ar]")["dir"] == "rtl"


def test_translations_are_stored_beside_the_original(app: Flask, announced: Announcement) -> None:
    """The original keeps the default language; each filled box is a translation; empty boxes store nothing."""
    rows = db.session.execute(select(AnnouncementTranslation.locale, AnnouncementTranslation.raw)).all()
    assert announced.locale == "en" and announced.raw == ORIGINAL
    assert dict(rows) == {"es": TEXTS["text_es"], "fr": TEXTS["text_fr"]}


def test_a_member_sees_their_languages_text(app: Flask, announced: Announcement) -> None:
    """A member who chose Spanish reads the Spanish banner, whatever their browser asks for."""
    response = browser(app, make_member(locale="es")).get("/", headers={"Accept-Language": "fr"})
    assert banner(response) == ("El foro estará en mantenimiento el domingo.", None)
    assert soup(response).select_one(".banner-body strong").get_text() == "en mantenimiento"


def test_a_visitor_sees_their_browsers_language(app: Flask, announced: Announcement) -> None:
    """A visitor whose browser asks for French reads the French banner."""
    response = browser(app).get("/resources", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert banner(response) == ("Le forum sera en maintenance dimanche.", None)


@pytest.mark.parametrize("member", [False, True], ids=["visitor", "member"])
def test_a_language_without_a_text_gets_the_original_marked_english(
    app: Flask, announced: Announcement, member: bool
) -> None:
    """German has no text: German readers get the English, with lang="en" so it is read out as English."""
    client = browser(app, make_member(locale="de")) if member else browser(app)
    response = client.get("/", headers={"Accept-Language": "de"})
    assert banner(response) == ("The forum is down for maintenance on Sunday.", "en")
    assert soup(response).select_one(".banner-body")["dir"] == "ltr"


def test_english_readers_are_unaffected(app: Flask, announced: Announcement) -> None:
    for client in (browser(app), browser(app, make_member(locale="en"))):
        assert banner(client.get("/", headers={"Accept-Language": "en"})) == (
            "The forum is down for maintenance on Sunday.", None
        )  # fmt: skip


def test_staff_add_and_remove_a_language_later(app: Flask, staff: FormClient, announced: Announcement) -> None:
    """The edit form shows the texts; a German text added shows to German readers, an emptied French box removes
    French (French readers then get the original)."""
    form = soup(staff.get(f"/staff/announcements/{announced.id}/edit"))
    assert form.select_one("textarea[name=text_es]").get_text().strip() == TEXTS["text_es"]
    german = "Das Forum wird am **Sonntag** gewartet."
    fields = {"body": ORIGINAL, "text_es": TEXTS["text_es"], "text_fr": "", "text_de": german}
    assert staff.post_form(f"/staff/announcements/{announced.id}/edit", fields).status_code == 302
    assert banner(browser(app).get("/", headers={"Accept-Language": "de"})) == (
        "Das Forum wird am Sonntag gewartet.",
        None,
    )
    assert banner(browser(app).get("/", headers={"Accept-Language": "fr"}))[1] == "en"
    assert sorted(db.session.scalars(select(AnnouncementTranslation.locale))) == ["de", "es"]


def test_a_dismissal_covers_every_language(app: Flask, staff: FormClient, announced: Announcement) -> None:
    """A Spanish member who dismissed the banner does not get it back when staff add or change a text."""
    member = browser(app, make_member(locale="es"))
    assert member.post_form(f"/announcements/{announced.id}/dismiss").status_code == 302
    fields = {"body": ORIGINAL, "text_es": "El foro estará cerrado el domingo.", "text_de": "Geschlossen."}
    assert staff.post_form(f"/staff/announcements/{announced.id}/edit", fields).status_code == 302
    assert soup(member.get("/")).select(".banner .banner-body") == []
    assert count_rows(AnnouncementDismissal) == 1


@pytest.mark.parametrize(
    ("texts", "field", "message"),
    [
        ({"text_es": "x" * 2001}, "text_es", "Announcements can be at most 2,000 characters."),
        ({"text_ar": "a\x00b"}, "text_ar", "cannot be stored (NUL)"),
    ],
)
def test_bad_translations_are_refused_and_store_nothing(
    app: Flask, staff: FormClient, texts: dict, field: str, message: str
) -> None:
    """An overlong or unstorable text in one language: 422 with the message beside that box, nothing stored."""
    response = announce(staff, **{**TEXTS, **texts})
    assert response.status_code == 422
    assert message in soup(response).select_one(f"#{field}-error").get_text()
    assert (count_rows(Announcement), count_rows(AnnouncementTranslation)) == (0, 0)


def test_a_language_the_community_does_not_offer_is_ignored_by_the_form(app: Flask, staff: FormClient) -> None:
    """A box the form does not have (`text_xx`) is no field of it: the announcement is stored without it."""
    assert announce(staff, text_xx="Unknown language", text_en="The original's own language").status_code == 302
    assert count_rows(AnnouncementTranslation) == 0


@pytest.mark.parametrize("locale", ["xx", "en", ""])
def test_the_service_refuses_an_unknown_language(app: Flask, locale: str) -> None:
    """Asked for a language the community does not offer (or the original's own), the service refuses with a
    message and stores nothing."""
    with pytest.raises(ServiceError, match="Choose one of the community’s languages from the list."):
        create_announcement(make_member(role=Role.STAFF), ORIGINAL, None, {locale: "Text"})
    assert (count_rows(Announcement), count_rows(AnnouncementTranslation)) == (0, 0)


def test_the_staff_list_names_the_languages(app: Flask, staff: FormClient, announced: Announcement) -> None:
    """Each announcement in the staff list says which other languages it has a text in."""
    assert "Also in: Spanish, French" in page_text(staff.get("/staff/announcements"))


def test_translations_add_no_statement_to_a_page(app: Flask, staff: FormClient, count_queries) -> None:  # noqa: ANN001
    """The reader's text comes in the banner's own statement: a Spanish page runs as many statements with a
    translated banner as with none."""
    for client in (browser(app, make_member(locale="es")), browser(app)):
        client.get("/resources", headers={"Accept-Language": "es"})  # warm up
        counts = []
        for n in range(2):
            with count_queries() as counter:
                response = client.get("/resources", headers={"Accept-Language": "es"})
            counts.append(len(counter))
            if n == 0:
                announce(staff, **TEXTS)
        assert banner(response)[0] == "El foro estará en mantenimiento el domingo."
        assert counts[0] == counts[1]
        db.session.execute(Announcement.__table__.delete())
        db.session.commit()
