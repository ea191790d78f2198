"""Pages showing pictures and the picture fields are valid HTML, as the Nu HTML Checker reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.models import Announcement, Role
from app.text.rendering import cook
from tests.factories import make_conversation, make_group, make_member, make_post, make_topic
from tests.pictures.images import make_picture, png, upload_form
from tests.support import browser
from tests.web.test_valid_html import checker_errors, vnu  # noqa: F401 - the checker's fixture


@pytest.mark.once  # starts a JVM; the pages' HTML does not depend on the database
def test_pages_with_pictures_are_valid_html(app: Flask, uploads: Path, tmp_path: Path, vnu: list[str]) -> None:  # noqa: F811
    """The topic page (as a moderator), an edit with pictures, their removal page, a conversation, a banner with
    pictures, the announcement pages and the picture fields' refusal are valid HTML."""
    author, other = make_member(), make_member()
    post = make_post(topic=make_topic(group=make_group(members=(author,))), author=author)
    picture = make_picture(post_id=post.id, owner_id=author.id, alt="A scar")
    conversation = make_conversation(author, other)
    make_picture(message_id=conversation.last_message_id, owner_id=author.id, alt="A label")
    staff = make_member(role=Role.STAFF)
    announcement = Announcement(raw="We moved.", cooked=cook("We moved."), created_by_id=staff.id)
    db.session.add(announcement)
    db.session.commit()
    make_picture(announcement_id=announcement.id, owner_id=staff.id, alt="The new entrance")
    pages = {
        "topic": (make_member(role=Role.MODERATOR), f"/t/{post.topic_id}/{post.topic.slug}"),
        "edit": (author, f"/p/{post.id}/edit"),
        "remove": (make_member(role=Role.MODERATOR), f"/mod/pictures/{picture.id}/remove"),
        "conversation": (author, f"/messages/{conversation.id}"),
        "new-message": (author, "/messages/new"),
        "banner": (None, "/resources"),
        "announcements": (staff, "/staff/announcements"),
        "announcement-edit": (staff, f"/staff/announcements/{announcement.id}/edit"),
    }
    for name, (who, url) in pages.items():
        response = browser(app, who).get(url)
        assert response.status_code == 200, url
        (tmp_path / f"{name}.html").write_bytes(response.data)
    refused = upload_form(browser(app, author), f"/t/{post.topic_id}/reply", {"body": "Hi"}, (png(), "a.png", ""))
    assert refused.status_code == 422
    (tmp_path / "refused.html").write_bytes(refused.data)
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    assert [f"{Path(e.get('url', '')).name}: {e.get('message')}" for e in errors] == []
