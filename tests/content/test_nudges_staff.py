"""Staff tune the nudges at /staff/moderation: detectors on or off and their own phrases, each change audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, NudgePhrase, Role
from app.models.settings import Setting
from tests.conftest import FormClient
from tests.factories import make_member
from tests.support import browser, count_rows, page_text, staff_page_executable_markup
from tests.web.test_valid_html import checker_errors, vnu  # noqa: F401 - the checker's fixture

SWITCHES = ("nudge_phone", "nudge_email", "nudge_address", "nudge_birth_date", "nudge_health_number", "nudge_advice")


@pytest.fixture
def staff(app: Flask) -> FormClient:
    return browser(app, make_member(role=Role.STAFF))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_every_detector_starts_switched_on(staff: FormClient) -> None:
    """The page shows each built-in detector, ticked until staff switch it off."""
    page = BeautifulSoup(staff.get("/staff/moderation").data, "html.parser")
    boxes = {box["name"]: box.has_attr("checked") for box in page.select("input[type=checkbox]")}
    assert boxes == dict.fromkeys(SWITCHES, True)


def test_dashboard_links_to_the_page(staff: FormClient) -> None:
    """The staff dashboard's navigation leads to the nudges."""
    assert 'href="/staff/moderation"' in staff.get("/staff").get_data(as_text=True)


def test_switching_a_detector_off_is_stored_and_audited(staff: FormClient) -> None:
    """Unticking phone numbers stores 0 for it and writes one audit event with before and after."""
    data = {key: "y" for key in SWITCHES if key != "nudge_phone"}
    assert staff.post_form("/staff/moderation", data).status_code == 302
    assert db.session.get(Setting, "nudge_phone").value == "0"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "change_settings"))
    assert event.before == {"nudge_phone": "1"} and event.after == {"nudge_phone": "0"}


def test_adding_and_removing_a_phrase_is_audited(staff: FormClient) -> None:
    """A phrase is stored with its kind, and removing it leaves an audit event too."""
    added = staff.post_form("/staff/moderation/phrases", {"phrase": " stop  * tablets ", "kind": "advice"})
    assert added.status_code == 302
    row = db.session.scalar(select(NudgePhrase))
    assert (row.phrase, row.kind) == ("stop * tablets", "advice")
    assert staff.post_form(f"/staff/moderation/phrases/{row.id}/delete").status_code == 302
    assert count_rows(NudgePhrase) == 0
    assert actions() == ["add_nudge_phrase", "remove_nudge_phrase"]


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({"phrase": "", "kind": "advice"}, ["Enter a word or phrase."]),
        ({"phrase": "* * * * chemo", "kind": "advice"}, ["A phrase can have at most 3 wildcards (*)."]),
        ({"phrase": "!!!", "kind": "nonsense"}, ["A phrase needs at least one letter or digit.", "Choose which nudge"]),
        ({"phrase": "x" * 101, "kind": "personal"}, ["Phrases can be at most 100 characters."]),
    ],
)
def test_bad_phrases_are_refused_next_to_the_field(staff: FormClient, data: dict, messages: list[str]) -> None:
    """Every problem at once, beside its field, status 422, and nothing stored or audited."""
    response = staff.post_form("/staff/moderation/phrases", data)
    assert response.status_code == 422
    text = page_text(response)
    assert all(message in text for message in messages)
    assert count_rows(NudgePhrase) == 0 and actions() == []


def test_the_same_phrase_twice_is_refused(staff: FormClient) -> None:
    """One rule per phrase and nudge, whatever its case."""
    staff.post_form("/staff/moderation/phrases", {"phrase": "Miracle cure", "kind": "advice"})
    response = staff.post_form("/staff/moderation/phrases", {"phrase": "miracle CURE", "kind": "advice"})
    assert response.status_code == 422 and "That phrase is already on the list." in page_text(response)
    assert count_rows(NudgePhrase) == 1


def test_changes_need_a_csrf_token(staff: FormClient) -> None:
    """Bare POSTs to the page, the phrase form and the remove button change nothing."""
    db.session.add(NudgePhrase(kind="advice", phrase="miracle cure", phrase_key="miracle cure"))
    db.session.commit()
    row_id = db.session.scalar(select(NudgePhrase.id))
    assert staff.post("/staff/moderation", data={"nudge_advice": "y"}).status_code == 400
    assert staff.post("/staff/moderation/phrases", data={"phrase": "x", "kind": "advice"}).status_code == 400
    assert staff.post(f"/staff/moderation/phrases/{row_id}/delete").status_code == 400
    assert count_rows(NudgePhrase) == 1 and count_rows(Setting) == 0 and actions() == []


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MENTOR, Role.MODERATOR])
def test_only_staff_may_change_the_nudges(app: Flask, role: Role) -> None:
    """Members, mentors and moderators are refused the page and its forms, and nothing is written."""
    client = browser(app, make_member(role=role))
    assert client.get("/staff/moderation").status_code == 403
    assert client.post_form("/staff/moderation/phrases", {"phrase": "x y", "kind": "advice"}).status_code == 403
    assert count_rows(NudgePhrase) == 0


def _hostile_lines() -> list[str]:
    data = Path("/work/shared/data/hostile-inputs.txt").read_text(encoding="utf-8")
    return [line for line in data.split("\n") if line]


def test_hostile_phrases_are_stored_faithfully_or_refused(staff: FormClient) -> None:
    """Every corpus line through the phrase field: never a server error, nothing executable, stored as typed
    (spaces collapsed) or refused with a 422."""
    for line in _hostile_lines():
        response = staff.post_form("/staff/moderation/phrases", {"phrase": line, "kind": "advice"})
        assert response.status_code in (302, 422), line
        if response.status_code == 302:
            assert " ".join(line.split()) in set(db.session.scalars(select(NudgePhrase.phrase))), line
    page = BeautifulSoup(staff.get("/staff/moderation").data, "html.parser")
    assert staff_page_executable_markup(page) == []


def test_the_page_is_valid_html(staff: FormClient, tmp_path: Path, vnu: list[str]) -> None:  # noqa: F811
    """The page with a phrase listed, and with the phrase form refused, is valid HTML."""
    staff.post_form("/staff/moderation/phrases", {"phrase": "miracle cure", "kind": "advice"})
    (tmp_path / "page.html").write_bytes(staff.get("/staff/moderation").data)
    (tmp_path / "refused.html").write_bytes(staff.post_form("/staff/moderation/phrases", {"phrase": ""}).data)
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    assert [(e.get("url", "").rsplit("/", 1)[-1], e.get("message")) for e in errors] == []
