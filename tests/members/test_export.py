"""Export: a ZIP of everything the member gave or the site keeps about them, made on request, for them only."""

from __future__ import annotations

import io
import json
import zipfile

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Member
from app.services.members.erasure import member_references
from app.services.members.export import REFERENCES
from tests.factories import (
    BIO,
    BOOKMARK_NOTE,
    EMAIL,
    FLAG_DETAILS,
    MESSAGE,
    NAME,
    REPLY_BODY,
    SUBJECT,
    TOPIC_BODY,
    make_member,
)
from tests.support import browser, soup


def _download(client, **data) -> tuple[dict, str]:  # noqa: ANN001, ANN003
    """POST the export form; the archive's JSON (parsed) and HTML."""
    response = client.post_form("/account/export", data)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="kindred-export.zip"'
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        assert sorted(archive.namelist()) == ["index.html", "kindred-export.json"]
        return json.loads(archive.read("kindred-export.json")), archive.read("index.html").decode()


def test_export_page_explains_and_offers_a_post_button(app: Flask, traces) -> None:  # noqa: ANN001
    """GET shows what is included and a CSRF-protected form; it downloads nothing."""
    page = browser(app, traces.member).get("/account/export")
    assert page.status_code == 200 and page.mimetype == "text/html"
    form = soup(page).select_one('form[action="/account/export"]')
    assert form["method"] == "post" and form.select_one('input[name="csrf_token"]')


def test_export_holds_profile_and_settings(app: Flask, traces) -> None:  # noqa: ANN001
    """Profile (name, e-mail, bio, join date) and settings (visibility, notification preferences) are in the JSON."""
    data, _ = _download(browser(app, traces.member))
    assert data["profile"]["display_name"] == NAME
    assert data["profile"]["email"] == EMAIL
    assert data["profile"]["bio"] == BIO
    assert data["profile"]["created_at"].startswith(str(traces.member.created_at.year))
    assert data["profile"]["pending_email"] == "quill.new@example.org"
    assert "password_hash" not in data["profile"] and "argon2" not in json.dumps(data)
    assert data["settings"]["profile_visibility"] == "everyone"
    assert data["settings"]["notification_preferences"] == [{"kind": "reply", "delivery": "email"}]


def test_export_holds_posts_with_raw_markdown_and_status(app: Flask, traces) -> None:  # noqa: ANN001
    """Every post they wrote is there with the Markdown they typed and its status; nobody else's."""
    data, _ = _download(browser(app, traces.member))
    assert [(p["raw"], p["status"], p["is_opening"]) for p in data["posts"]] == [
        (TOPIC_BODY, "visible", True),
        (REPLY_BODY, "visible", False),
    ]
    assert [t["title"] for t in data["topics"]] == ["Nights are long"]
    assert data["groups"][0]["name"] == "Sleep"


def test_export_holds_messages_they_wrote_only(app: Flask, traces) -> None:  # noqa: ANN001
    """Their own messages are exported; the other member's words are not."""
    data, html = _download(browser(app, traces.member))
    assert [m["raw"] for m in data["messages"]] == [MESSAGE]
    assert {c["subject"] for c in data["conversations"]} == {SUBJECT, "Olive writes"}
    assert "Olive's own words" not in json.dumps(data) and "Olive's own words" not in html


def test_export_holds_follows_marks_reports_notifications_and_blocks(app: Flask, traces) -> None:  # noqa: ANN001
    """Follows, helpful marks given, flags filed, notifications, blocks, mail, dismissals and bookmarks are all
    there."""
    data, _ = _download(browser(app, traces.member))
    assert [t["id"] for t in data["follows"]["topics"]] == [traces.others_topic.id]
    assert [g["slug"] for g in data["follows"]["groups"]] == [traces.group.slug]
    assert [m["post_id"] for m in data["helpful_marks_given"]] == [traces.others_reply.id]
    assert [f["details"] for f in data["reports_filed"]["post_flags"]] == [FLAG_DETAILS]
    assert [r["details"] for r in data["reports_filed"]["message_reports"]] == [FLAG_DETAILS]
    assert [n["message"] for n in data["notifications"]] == ["Olive Other replied to Nights are long"]
    assert [b["blocked"] for b in data["blocks"]] == ["Olive Other"]
    assert [m["subject"] for m in data["email"]["messages"]] == ["Your digest"]
    assert len(data["dismissed_announcements"]) == 1
    assert len(data["login_sessions"]) == 1
    assert [(b["post_id"], b["note"]) for b in data["bookmarks"]] == [(traces.others_reply.id, BOOKMARK_NOTE)]


def test_export_holds_read_positions(app: Flask, traces) -> None:  # noqa: ANN001
    """How far they read each topic they opened is in the export."""
    data, _ = _download(browser(app, traces.member))
    assert [(r["topic_id"], r["last_post_id"]) for r in data["read_positions"]] == [
        (traces.others_topic.id, traces.reply.id)
    ]


def test_export_html_is_readable_and_escaped(app: Flask, traces) -> None:  # noqa: ANN001
    """index.html shows their words as text: markup they typed stays escaped."""
    traces.member.bio = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    db.session.commit()
    _, html = _download(browser(app, traces.member))
    page = soup_html(html)
    assert page.find("script") is None and page.find("img") is None
    assert '<script>alert("x")</script>' in page.get_text()
    assert MESSAGE in page.get_text() and REPLY_BODY in page.get_text()


def soup_html(html: str):  # noqa: ANN201
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_export_is_generated_fresh_from_the_database(app: Flask, traces) -> None:  # noqa: ANN001
    """A change made a moment ago is in the next download: nothing is cached or stored."""
    client = browser(app, traces.member)
    _download(client)
    traces.member.bio = "Changed just now"
    db.session.commit()
    data, _ = _download(client)
    assert data["profile"]["bio"] == "Changed just now"


def test_nobody_can_export_someone_else(app: Flask, traces) -> None:  # noqa: ANN001
    """Naming another member (by id, name or e-mail) in the request still exports only the signed-in member."""
    snoop = make_member(display_name="Sam Snoop")
    client = browser(app, snoop)
    attempt = {"member_id": traces.member.id, "name": NAME, "email": EMAIL}
    response = client.post("/account/export?" + "&".join(f"{k}={v}" for k, v in attempt.items()), data={
        "csrf_token": client.csrf_token(), **attempt,
    })  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        text = archive.read("kindred-export.json").decode() + archive.read("index.html").decode()
    assert "Sam Snoop" in text
    assert NAME not in text and EMAIL not in text and MESSAGE not in text


def test_visitor_cannot_export(app: Flask, traces) -> None:  # noqa: ANN001
    """A visitor is sent to sign in, for the page and the download."""
    client = browser(app)
    for response in (client.get("/account/export"), client.post_form("/account/export")):
        assert response.status_code == 302 and response.location.startswith("/login")


def test_export_without_csrf_token_is_refused(app: Flask, traces) -> None:  # noqa: ANN001
    """A cross-site POST gets the 400 page, not the archive."""
    response = browser(app, traces.member).post("/account/export")
    assert response.status_code == 400
    assert response.mimetype == "text/html"


def test_every_reference_to_members_is_exported_or_explained(app: Flask) -> None:
    """Each column pointing at members is exported or has a reason not to be: new tables must decide."""
    columns = {f"{c.table.name}.{c.name}" for c in member_references()}
    assert sorted(columns - REFERENCES.keys()) == []
    assert sorted(REFERENCES.keys() - columns) == []  # and no stale entry for a column that is gone


def test_export_of_a_member_with_nothing_works(app: Flask) -> None:
    """A brand-new member gets a valid archive with empty sections."""
    member = make_member()
    data, _ = _download(browser(app, member))
    assert data["posts"] == [] and data["messages"] == []
    assert db.session.scalar(select(Member.id).where(Member.id == member.id))


def test_zip_is_streamed_in_pieces_and_still_valid() -> None:
    """A large file leaves in several chunks (the archive is never built whole) and unpacks to the same bytes."""
    from app.services.members.zipstream import CHUNK, zip_stream

    content = bytes(range(256)) * (3 * CHUNK // 256)
    chunks = list(zip_stream({"big.bin": content}))
    assert len(chunks) > 3
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        assert archive.read("big.bin") == content
