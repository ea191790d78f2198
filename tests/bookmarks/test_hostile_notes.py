"""The bookmark note against the shared corpora (SECURITY.md #26): never a server error, nothing executable on the
list or the bookmark's page, each line stored as typed (trimmed, Unix line ends) or refused with a message."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from app.models import Bookmark
from app.models.bookmarks import NOTE_MAX
from app.services.common.cleaning import visible_length
from tests.bookmarks.conftest import Thread, bookmark_post
from tests.support import CORPORA, Findings, as_body, read_corpus


@pytest.fixture
def app_overrides() -> dict:
    return {"PROPAGATE_EXCEPTIONS": False}  # a server error is a 500 answer to note, not an exception that stops


def expected_note(line: str) -> str | None:
    """What the note rules keep of a line, or None when they refuse it."""
    if "\x00" in line:
        return None
    text = as_body(line)
    text = text if visible_length(text) else ""
    return text if len(text) <= NOTE_MAX else None


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_line_is_stored_faithfully_or_refused(
    app: Flask, thread: Thread, findings: Findings, corpus: str
) -> None:
    """Each corpus line as a note: stored as the rules say and shown inert on the list and its page, or refused."""
    bookmark = bookmark_post(thread.client, thread.reply)
    for line in read_corpus(corpus):
        db.session.rollback()
        before = db.session.get(Bookmark, bookmark.id).note
        response = thread.client.post_form(f"/bookmarks/{bookmark.id}", {"note": line})
        db.session.rollback()
        note = db.session.get(Bookmark, bookmark.id).note
        expected = expected_note(line)
        if expected is None:
            findings.refused(line, response, findings.page(line, response), written=note != before)
            continue
        findings.page(line, response)
        findings.stored_as(line, note, expected)
        findings.page(line, thread.client.get("/bookmarks"))
        findings.page(line, thread.client.get(f"/bookmarks/{bookmark.id}"))
    findings.assert_clean()
