"""Private messages take pictures too, seen by the people in the conversation only."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.factories import make_conversation, make_member
from tests.pictures.images import picture_rows, png, stored, upload_form
from tests.support import browser, soup


def test_new_conversation_with_a_picture_reaches_the_recipient(app: Flask, uploads: Path) -> None:
    """A new conversation's picture shows in it for the recipient, who can open it; a stranger cannot."""
    sender, recipient = make_member(), make_member()
    fields = {"to": recipient.display_name, "subject": "My prescription", "body": "Is this the dose you take?"}
    response = upload_form(browser(app, sender), "/messages/new", fields, (png(), "box.png", "A pill box label"))
    assert response.status_code == 302
    reader = browser(app, recipient)
    image = soup(reader.get(response.headers["Location"])).select_one(".gallery img")
    assert image["alt"] == "A pill box label"
    assert reader.get(image["src"]).headers["Cache-Control"] == "private, no-cache"
    assert browser(app, make_member()).get(image["src"]).status_code == 404


def test_reply_with_undescribed_picture_is_refused(app: Flask, uploads: Path) -> None:
    """A message reply whose picture has no description stores nothing and keeps the words."""
    sender, recipient = make_member(), make_member()
    conversation = make_conversation(sender, recipient)
    client = browser(app, sender)
    url = f"/messages/{conversation.id}/reply"
    response = upload_form(client, url, {"body": "Here you are."}, (png(), "x.png", ""))
    assert response.status_code == 422
    assert "Please describe “x.png”" in soup(response).select_one("#images-error").text
    assert soup(response).select_one("#body").text.strip() == "Here you are."
    assert (picture_rows(), stored(uploads)) == (0, [])
