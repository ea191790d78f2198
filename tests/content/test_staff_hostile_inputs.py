"""Every text field of the staff tools against the shared XSS corpus (SECURITY.md #26): never a server error,
nothing executable in any page that shows the value, and each value stored as typed (normalised) or refused with a
message. One test per field group; the problems of all lines are reported together."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Announcement, AnnouncementTranslation, GuidelinesVersion, Resource, Role, Setting
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_group, make_member
from tests.support import staff_page_executable_markup

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "xss-payloads.txt"
# The XSS corpus: escaping is decided in rendering, whatever the database, so these run in the SQLite pass only.
pytestmark = pytest.mark.once
ORDINARY = {"title": "An ordinary title", "kind": "article", "description": "", "url": "", "body": "Ordinary page."}


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    if not CORPUS.is_file():
        pytest.fail(f"{CORPUS} is missing: the shared/ folder must sit beside the repository", pytrace=False)
    return [line for line in CORPUS.read_text(encoding="utf-8").split("\n") if line]


@pytest.fixture
def app_overrides() -> dict:
    return {"PROPAGATE_EXCEPTIONS": False}  # a server error is a 500 answer to note, not an exception that stops


@pytest.fixture
def staff(app: Flask) -> FormClient:
    client: FormClient = app.test_client()  # type: ignore[assignment]
    member = make_member(role=Role.STAFF)
    assert client.post_form("/login", {"email": member.email, "password": PASSWORD}).status_code == 302
    return client


class Findings:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.stored = 0

    def note(self, line: str, problem: str) -> None:
        self.problems.append(f"{line[:60]!r}: {problem}")

    def page(self, line: str, response) -> BeautifulSoup:  # noqa: ANN001
        """Check any answer: no server error, nothing executable. Returns the parsed page (each page parsed once)."""
        if response.status_code >= 500:
            self.note(line, f"{response.request.path} answered {response.status_code}")
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        for markup in staff_page_executable_markup(soup):
            self.note(line, f"{response.request.path} contains {markup}")
        return soup

    def answer(self, line: str, response, stored: dict[str, object], expected: dict[str, object]) -> None:  # noqa: ANN001
        """A submission either stored every value as expected (302) or refused it with a message (422)."""
        soup = self.page(line, response)
        if response.status_code == 302:
            self.stored += 1
            for field, value in expected.items():
                if stored.get(field) != value:
                    self.note(line, f"{field} stored as {stored.get(field)!r}, expected {value!r}")
        elif response.status_code != 422 or not soup.select(".error, .form-problems p"):
            self.note(line, f"answered {response.status_code} without a message")

    def assert_clean(self, *, something_stored: bool = True) -> None:
        assert not self.problems, f"{len(self.problems)} problems:\n" + "\n".join(self.problems[:40])
        assert self.stored or not something_stored, "nothing was ever stored"


def as_text(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def as_line(value: str) -> str:
    return " ".join(value.split())


def newest(model: type):  # noqa: ANN201
    return db.session.scalar(select(model).order_by(model.id.desc()).limit(1))


RESOURCE_FIELDS = {"title": as_line, "description": as_text, "body": as_text, "url": as_text}


def add_resource(findings: Findings, staff: FormClient, group_id: int, line: str, fields: tuple[str, ...]) -> int:
    """Submit a new resource with `line` in each of `fields`; when stored, check its entry page. Its status code."""
    form = {**ORDINARY, **dict.fromkeys(fields, line), "groups": str(group_id)} | (
        {"body": ""} if "url" in fields else {}
    )
    response = staff.post_form("/staff/resources/new", form)
    if len(fields) > 1 and response.status_code == 422:
        findings.page(line, response)  # refused: the caller learns field by field which one refused it
        return 422
    resource = newest(Resource) if response.status_code == 302 else None
    stored = resource and {"title": resource.title, "description": resource.description,
                           "body": resource.raw, "url": resource.url}  # fmt: skip
    findings.answer(line, response, stored or {}, {field: RESOURCE_FIELDS[field](line) for field in fields})
    if resource is not None:
        findings.page(line, staff.get(f"/resources/{resource.id}"))
    return response.status_code


def check_resource_pages(findings: Findings, staff: FormClient, group_slug: str) -> None:
    """Every page of the library, the staff list and the group box, once, with every resource stored."""
    for page in range(1, 200):
        response = staff.get(f"/resources?page={page}")
        if response.status_code == 404:
            break
        findings.page("the library", response)
    findings.page("the staff list", staff.get("/staff/resources"))
    findings.page("the group box", staff.get(f"/g/{group_slug}"))


def test_resource_texts_survive_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """Title, description and page text: stored (normalised) or refused, and every page that shows them (library
    pages, entry pages, the staff list, the group box) stays free of executable markup.

    The three are cleaned independently, so one resource tries a line in all three and one entry page shows them
    together; when that is refused, each field is tried again alone, to learn which refused it and that the others
    still store it."""
    findings, group = Findings(), make_group()
    for line in corpus:
        if add_resource(findings, staff, group.id, line, ("title", "description", "body")) != 302:
            for field in ("title", "description", "body"):
                add_resource(findings, staff, group.id, line, (field,))
    check_resource_pages(findings, staff, group.slug)
    findings.assert_clean()


def test_resource_web_address_survives_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """A web address (a link resource has no page text) is stored or refused, and no page turns it into a script.
    No line of the corpus is a web address worth linking to, so every one is refused."""
    findings, group = Findings(), make_group()
    for line in corpus:
        add_resource(findings, staff, group.id, line, ("url",))
    check_resource_pages(findings, staff, group.slug)
    findings.assert_clean(something_stored=False)


def test_announcement_text_survives_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """Each line is published as a banner or refused; the page with every banner and the staff list run nothing."""
    findings = Findings()
    for line in corpus:
        response = staff.post_form("/staff/announcements", {"body": line, "ends_on": ""})
        stored = {"body": newest(Announcement).raw} if response.status_code == 302 else {}
        findings.answer(line, response, stored, {"body": as_text(line)})
    findings.page("every banner", staff.get("/"))
    findings.page("the staff list", staff.get("/staff/announcements"))
    findings.assert_clean()


def save_guidelines(findings: Findings, staff: FormClient, n: int, line: str, fields: tuple[str, ...]) -> int:
    """Save a new version with `line` as each of `fields`; when its text is stored, check the version and its diff."""
    number = db.session.scalar(select(GuidelinesVersion.number).order_by(GuidelinesVersion.number.desc())) or 1
    form = {"body": f"Guidelines, edition {n}", "note": "Ordinary change.", "based_on": str(number)}
    response = staff.post_form("/guidelines/edit", {**form, **dict.fromkeys(fields, line)})
    if len(fields) > 1 and response.status_code == 422:
        findings.page(line, response)  # refused: the caller learns field by field which one refused it
        return 422
    saved = newest(GuidelinesVersion) if response.status_code == 302 else None
    stored = {"body": saved.raw, "note": saved.change_note} if saved else {}
    findings.answer(
        line, response, stored, {field: (as_text if field == "body" else as_line)(line) for field in fields}
    )
    if saved is not None and "body" in fields:
        findings.page(line, staff.get(f"/guidelines?version={saved.number}"))
        findings.page(line, staff.get(f"/guidelines/diff?from={saved.number - 1}&to={saved.number}"))
    return response.status_code


def test_guidelines_text_and_note_survive_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """Each line saved as the guidelines text, and as a change note, is stored or refused; the version, its diff
    (which shows the note too) and the history show it without anything executable. One version tries a line as
    both; when that is refused, each is tried again alone."""
    findings = Findings()
    for n, line in enumerate(corpus):
        if save_guidelines(findings, staff, n, line, ("body", "note")) != 302:
            for field in ("body", "note"):
                save_guidelines(findings, staff, n, line, (field,))
    findings.page("the history", staff.get("/guidelines/history"))
    findings.assert_clean()


def test_announcement_translations_survive_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """Each line as the Arabic text of a banner is published or refused; the Arabic page with every banner, the
    staff list and the edit forms run nothing."""
    findings, arabic, edited = Findings(), FormClient(app, app.response_class), []
    for line in corpus:
        response = staff.post_form("/staff/announcements", {"body": "Ordinary.", "ends_on": "", "text_ar": line})
        announcement = newest(Announcement) if response.status_code == 302 else None
        saved = announcement and db.session.scalar(
            select(AnnouncementTranslation).where(AnnouncementTranslation.announcement_id == announcement.id)
        )
        stored = {"text_ar": saved.raw} if saved is not None else {}
        findings.answer(line, response, stored, {"text_ar": as_text(line)} if line.strip() else {})
        if saved is not None:
            edited.append((line, saved.announcement_id))
    for line, announcement_id in edited[-5:]:  # each page carries every banner: the last few are enough
        findings.page(line, staff.get(f"/staff/announcements/{announcement_id}/edit"))
    findings.page("every Arabic banner", arabic.get("/", headers={"Accept-Language": "ar"}))
    findings.page("the staff list", staff.get("/staff/announcements"))
    findings.assert_clean()


def test_guidelines_translations_survive_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """Each line saved as the Spanish text of the version in force is stored or refused; Spanish readers' pages
    (the version, the history, the diff) show it without anything executable."""
    findings, spanish = Findings(), FormClient(app, app.response_class)
    for line in corpus:
        number = db.session.scalar(
            select(GuidelinesVersion.number).where(~GuidelinesVersion.is_translation).order_by(
                GuidelinesVersion.number.desc()
            )
        ) or 1  # fmt: skip
        form = {"body": line, "note": "Traducción.", "based_on": str(number), "locale": "es"}
        response = staff.post_form("/guidelines/edit", form)
        saved = newest(GuidelinesVersion) if response.status_code == 302 else None
        if saved is not None and not (saved.is_translation and saved.locale == "es"):
            findings.note(line, f"stored as {saved.locale} (translation: {saved.is_translation})")
        findings.answer(line, response, {"body": saved.raw} if saved else {}, {"body": as_text(line)})
        if saved is not None:
            findings.page(line, spanish.get("/guidelines", headers={"Accept-Language": "es"}))
    findings.page("the Spanish history", spanish.get("/guidelines/history", headers={"Accept-Language": "es"}))
    findings.assert_clean()


REFUSED_HOURS = "Enter a whole number from 1 to 720."


def test_unanswered_hours_survive_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """No corpus line is a number of hours: each is refused with the allowed range and nothing is stored.

    A refused value is shown nowhere (the page after the redirect shows the stored setting), so each refusal is
    read from the message it leaves for that page, and the page itself is rendered once, with the last line's."""
    findings = Findings()
    with staff.session_transaction() as session:
        session.pop("_flashes", None)  # "You are signed in."
    for line in corpus:
        response = staff.post_form("/staff/unanswered/setting", {"hours": line})
        findings.page(line, response)
        with staff.session_transaction() as session:
            flashed = [tuple(message) for message in session.pop("_flashes", [])]
        if (response.status_code, response.location, flashed) != (302, "/staff/unanswered", [("error", REFUSED_HOURS)]):
            findings.note(line, f"answered {response.status_code}, to {response.location!r}, saying {flashed!r}")
    shown = staff.post_form("/staff/unanswered/setting", {"hours": corpus[-1]}, follow_redirects=True)
    if REFUSED_HOURS not in findings.page(corpus[-1], shown).get_text():
        findings.note(corpus[-1], "the page does not show the message")
    assert db.session.get(Setting, "unanswered_after_hours") is None
    findings.stored = 1  # nothing should be stored here
    findings.assert_clean()
