"""The questions' pages are valid HTML (Nu HTML Checker) for the author, another member, a moderator and staff, and
the page-level promises: labels, the error beside the field, crisis panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.models import ContentStatus, EventQuestion, Role
from app.text.rendering import cook
from tests.events.questions_support import ask, end, make_event, only_question, questions_of
from tests.factories import make_member
from tests.support import browser, soup
from tests.web.test_valid_html import checker_errors, vnu  # noqa: F401 - vnu is a fixture


def _question(event, body: str, **fields: object) -> EventQuestion:  # noqa: ANN001
    question = EventQuestion(event_id=event.id, body=body, body_html=cook(body), **fields)
    db.session.add(question)
    db.session.commit()
    return question


def test_the_question_field_has_a_label_and_the_error_sits_beside_it(app: Flask) -> None:
    """The form's textarea is labelled; a refusal marks it invalid and describes it by the message."""
    event = make_event()
    client = browser(app, make_member())
    page = soup(client.get(f"/events/{event.id}"))
    assert page.select_one('label[for="body"]') is not None and page.select_one("textarea#body") is not None
    refused = soup(ask(client, event, ""))
    field = refused.select_one("textarea#body")
    assert field["aria-invalid"] == "true" and "body-error" in field["aria-describedby"]


@pytest.mark.once  # starts a JVM; the pages' HTML does not depend on the database
def test_question_pages_are_valid_html(app: Flask, tmp_path: Path, vnu: list[str]) -> None:  # noqa: F811
    """Event page, questions page (with an error), crisis page, host's page, review queue: no checker error."""
    event = make_event()
    author, other = make_member(approved_posts=0), make_member()
    ask(browser(app, author), event, "Will I sleep better after the operation?")
    _question(event, "Can I swim after a **week**?", status=ContentStatus.VISIBLE, want_count=2)
    crisis = ask(browser(app, other), event, "Some days I want to die, is that normal after surgery?")
    past = make_event()
    _question(past, "How long until I can drive?", status=ContentStatus.VISIBLE, answer="Six *weeks*.",
              answer_html=cook("Six *weeks*."))  # fmt: skip
    past = end(past)
    staff, moderator = browser(app, make_member(role=Role.STAFF)), browser(app, make_member(role=Role.MODERATOR))
    pages = {
        "author-event": browser(app, author).get(f"/events/{event.id}"),
        "other-questions-error": ask(browser(app, other), event, ""),
        "crisis": crisis,
        "visitor-past-event": browser(app).get(f"/events/{past.id}"),
        "staff-host-before": staff.get(f"/staff/events/{event.id}/questions"),
        "staff-host-after": staff.get(f"/staff/events/{past.id}/questions"),
        "staff-recap-error": staff.post_form(f"/staff/events/{past.id}/recap", {"recap_topic": "nothing"}),
        "moderator-queue": moderator.get("/mod/queue"),
    }
    assert len(questions_of(event)) == 3 and only_question(past).answer
    for name, response in pages.items():
        assert response.status_code in (200, 422), name
        (tmp_path / f"{name}.html").write_bytes(response.data)
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    problems = sorted({f"{Path(e.get('url', '')).name}: {e.get('message')} {e.get('extract', '')}" for e in errors})
    assert problems == []
