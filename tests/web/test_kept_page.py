"""The "not sent" page of a composer's POST refused in the meantime (a topic locked, a member suspended): clear,
accessible, valid HTML, with the reason, the text, and the way to the draft at /drafts."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.models import MemberStatus
from tests.factories import make_group, make_member, make_topic
from tests.support import browser, page_text, refreshed, soup
from tests.web.test_valid_html import checker_errors, vnu  # noqa: F401 - the checker fixture

WORDS = "Three paragraphs about the night before the operation, and what helped."


@pytest.fixture
def refused(app: Flask):  # noqa: ANN201
    """A reply sent to a topic locked while the member was writing: the response, and the member's browser."""
    me = make_member()
    topic = make_topic(group=make_group(members=(me,)))
    client = browser(app, me)
    client.get(f"/t/{topic.id}/{topic.slug}")
    topic.locked = True
    db.session.commit()
    return client.post_form(f"/t/{topic.id}/reply", {"body": WORDS}), client


def test_a_refusal_does_not_promise_the_form_back(refused) -> None:
    """A refused reply's page says the draft waits with the drafts, not that the form (now gone) is filled in."""
    response, _client = refused
    text = page_text(response)
    assert "It is listed with your drafts and is filled in again when you can send it." in text
    assert "when you go back to the form" not in text


def test_the_refusal_page_shows_the_reason_first(refused) -> None:
    """The reason for the refusal follows the page's heading, before the text."""
    page = soup(refused[0])
    assert page.select_one("h1 + p.lead").get_text(strip=True)
    assert "locked" in page.select_one("h1 + p.lead").get_text()


def test_the_refusal_page_labels_the_kept_text_and_orders_its_headings(refused) -> None:
    """Headings go h1 then h2, and the kept text is a labelled, read-only field."""
    page = soup(refused[0])
    assert [h.name for h in page.select("main h1, main h2, main h3")] == ["h1", "h2"]
    field = page.select_one("textarea#kept-body")
    assert field.has_attr("readonly") and field.get_text().strip() == WORDS
    assert page.select_one("label[for=kept-body]").get_text(strip=True) == "Message"


def test_the_drafts_link_leads_to_the_kept_text(refused) -> None:
    """ "Your drafts" on the page opens /drafts, where the refused reply is listed."""
    response, client = refused
    link = soup(response).find("a", string="Your drafts")["href"]
    assert "the night before the operation" in page_text(client.get(link))


def test_a_suspension_page_names_the_reason(app: Flask) -> None:
    """Suspended while writing a new topic: the page says so, and keeps the title and text."""
    me = make_member()
    group = make_group(members=(me,))
    client = browser(app, me)
    client.get(f"/g/{group.slug}/new")
    member = refreshed(me)
    member.status, member.suspension_reason = MemberStatus.SUSPENDED, "Cooling off"
    db.session.commit()
    response = client.post_form(f"/g/{group.slug}/new", {"title": "Before the operation", "body": WORDS})
    assert response.status_code == 403
    assert "suspended" in soup(response).select_one("h1 + p.lead").get_text()
    assert soup(response).select_one("textarea#kept-title").get_text().strip() == "Before the operation"


@pytest.mark.once  # starts a JVM
def test_the_refusal_page_is_valid_html(refused, tmp_path: Path, vnu: list[str]) -> None:  # noqa: F811
    """The Nu HTML Checker finds no error on the "not sent" page."""
    page = tmp_path / "kept.html"
    page.write_bytes(refused[0].data)
    assert [error.get("message") for error in checker_errors(vnu, [page])] == []
