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

    def page(self, line: str, response) -> None:  # noqa: ANN001
        if response.status_code >= 500:
            self.note(line, f"{response.request.path} answered {response.status_code}")
        for markup in staff_page_executable_markup(BeautifulSoup(response.get_data(as_text=True), "html.parser")):
            self.note(line, f"{response.request.path} contains {markup}")

    def answer(self, line: str, response, stored: object, expected: object) -> None:  # noqa: ANN001
        """A submission either stored the value as expected (302) or refused it with a message (422)."""
        self.page(line, response)
        if response.status_code == 302:
            self.stored += 1
            if stored != expected:
                self.note(line, f"stored as {stored!r}, expected {expected!r}")
        elif response.status_code != 422 or not BeautifulSoup(response.get_data(as_text=True), "html.parser").select(
            ".error, .form-problems p"
        ):
            self.note(line, f"answered {response.status_code} without a message")

    def assert_clean(self) -> None:
        assert not self.problems, f"{len(self.problems)} problems:\n" + "\n".join(self.problems[:40])
        assert self.stored, "nothing was ever stored"


def as_text(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def newest(model: type):  # noqa: ANN201
    return db.session.scalar(select(model).order_by(model.id.desc()).limit(1))


def test_resource_fields_survive_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """Title, description, page text and web address: stored (normalised) or refused, and every page that shows
    them (library pages, entry pages, the staff list, the group box) stays free of executable markup."""
    findings, group = Findings(), make_group()
    for line in corpus:
        for field in ("title", "description", "body", "url"):
            form = {**ORDINARY, field: line, "groups": str(group.id)} | ({"body": ""} if field == "url" else {})
            response = staff.post_form("/staff/resources/new", form)
            resource = newest(Resource) if response.status_code == 302 else None
            stored = resource and {"title": resource.title, "description": resource.description,
                                   "body": resource.raw, "url": resource.url}[field]  # fmt: skip
            expected = " ".join(line.split()) if field == "title" else as_text(line)
            findings.answer(line, response, stored, expected)
            if resource is not None:
                findings.page(line, staff.get(f"/resources/{resource.id}"))
    for page in range(1, 200):
        response = staff.get(f"/resources?page={page}")
        if response.status_code == 404:
            break
        findings.page("the library", response)
    findings.page("the staff list", staff.get("/staff/resources"))
    findings.page("the group box", staff.get(f"/g/{group.slug}"))
    findings.assert_clean()


def test_announcement_text_survives_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """Each line is published as a banner or refused; the page with every banner and the staff list run nothing."""
    findings = Findings()
    for line in corpus:
        response = staff.post_form("/staff/announcements", {"body": line, "ends_on": ""})
        stored = newest(Announcement).raw if response.status_code == 302 else None
        findings.answer(line, response, stored, as_text(line))
    findings.page("every banner", staff.get("/"))
    findings.page("the staff list", staff.get("/staff/announcements"))
    findings.assert_clean()


def test_guidelines_text_and_note_survive_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """Each line saved as the guidelines text, and as a change note, is stored or refused; the version, its diff
    and the history show it without anything executable."""
    findings = Findings()
    for n, line in enumerate(corpus):
        for field in ("body", "note"):
            number = db.session.scalar(select(GuidelinesVersion.number).order_by(GuidelinesVersion.number.desc())) or 1
            form = {"body": f"Guidelines, edition {n}", "note": "Ordinary change.", "based_on": str(number)}
            response = staff.post_form("/guidelines/edit", {**form, field: line})
            saved = newest(GuidelinesVersion) if response.status_code == 302 else None
            stored = saved and (saved.raw if field == "body" else saved.change_note)
            findings.answer(line, response, stored, as_text(line) if field == "body" else " ".join(line.split()))
            if saved is not None and field == "body":
                findings.page(line, staff.get(f"/guidelines?version={saved.number}"))
                findings.page(line, staff.get(f"/guidelines/diff?from={saved.number - 1}&to={saved.number}"))
    findings.page("the history", staff.get("/guidelines/history"))
    findings.assert_clean()


def test_announcement_translations_survive_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """Each line as the Arabic text of a banner is published or refused; the Arabic page with every banner, the
    staff list and the edit forms run nothing."""
    findings, arabic, edited = Findings(), FormClient(app, app.response_class), []
    for line in corpus:
        response = staff.post_form("/staff/announcements", {"body": "Ordinary.", "ends_on": "", "text_ar": line})
        saved = db.session.scalar(
            select(AnnouncementTranslation).order_by(AnnouncementTranslation.announcement_id.desc()).limit(1)
        )
        stored = saved.raw if response.status_code == 302 and saved is not None else None
        findings.answer(line, response, stored, as_text(line) if line.strip() else None)
        if response.status_code == 302 and saved is not None:
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
        findings.answer(line, response, saved and saved.raw, as_text(line))
        if saved is not None:
            findings.page(line, spanish.get("/guidelines", headers={"Accept-Language": "es"}))
    findings.page("the Spanish history", spanish.get("/guidelines/history", headers={"Accept-Language": "es"}))
    findings.assert_clean()


def test_unanswered_hours_survive_the_corpus(app: Flask, staff: FormClient, corpus: list[str]) -> None:
    """No corpus line is a number of hours: each is refused with the allowed range and nothing is stored."""
    findings = Findings()
    for line in corpus:
        response = staff.post_form("/staff/unanswered/setting", {"hours": line}, follow_redirects=True)
        findings.page(line, response)
        if "Enter a whole number from 1 to 720." not in response.get_data(as_text=True):
            findings.note(line, "refused without the message")
    assert db.session.get(Setting, "unanswered_after_hours") is None
    findings.stored = 1  # nothing should be stored here
    findings.assert_clean()
