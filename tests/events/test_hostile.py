"""The event form's text fields and the feed token against the shared corpora: never a server error, nothing
executable on the event page or in the lists, each value stored or refused with a message."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Event, Role
from tests.events.test_staff_form import GOOD
from tests.factories import make_member
from tests.support import CORPORA, browser, read_corpus

pytestmark = pytest.mark.once  # escaping is decided in rendering, whatever the database


@pytest.fixture
def app_overrides() -> dict:
    return {"PROPAGATE_EXCEPTIONS": False}


@pytest.mark.parametrize("field", ["title", "host", "location", "description"])
def test_hostile_text_in_event_fields(app: Flask, findings, field: str) -> None:  # noqa: ANN001
    staff = browser(app, make_member(role=Role.STAFF))
    visitor = browser(app)
    for name in CORPORA:
        for line in read_corpus(name)[:80]:
            response = staff.post_form("/staff/events/new", {**GOOD, field: line})
            page = findings.page(line, response)
            event = db.session.scalar(select(Event))
            if response.status_code == 302 and event is not None:
                findings.stored += 1
                findings.page(line, visitor.get(f"/events/{event.id}"))
                findings.page(line, visitor.get("/events"))
                db.session.execute(delete(Event))
                db.session.commit()
            else:
                findings.refused(line, response, page, written=event is not None)
            db.session.rollback()
    findings.assert_clean()


def test_hostile_feed_tokens_are_refused(app: Flask, findings) -> None:  # noqa: ANN001
    client = browser(app)
    for name in CORPORA:
        for line in read_corpus(name)[:80]:
            response = client.get("/events/calendar.ics", query_string={"token": line})
            if response.status_code >= 500 or response.status_code == 200:
                findings.note(line, f"answered {response.status_code}")
    findings.assert_clean(something_stored=False)
