"""Announcements take pictures: staff attach and remove them, everyone sees them beneath the banner while it runs,
staff alone once it has ended, and deleting the announcement takes its files out of storage."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Announcement, Picture, Role
from app.models.base import utcnow
from tests.factories import make_member
from tests.pictures.images import jpeg, kept, picture_path, picture_rows, png, stored, upload_form
from tests.support import FormClient, browser, read_corpus, soup

TEXT = {"body": "Our clinic moves: **the new entrance** is shown below.", "ends_on": ""}
PUBLIC_CACHE = "public, max-age=31536000, immutable"


@pytest.fixture
def staff(app: Flask) -> FormClient:
    return browser(app, make_member(role=Role.STAFF))


def announce_with(staff: FormClient, *pictures: tuple[bytes, str, str]):  # noqa: ANN201
    return upload_form(staff, "/staff/announcements", TEXT, *pictures)


def announced(staff: FormClient, *pictures: tuple[bytes, str, str]) -> Announcement:
    response = announce_with(staff, *pictures)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.rollback()
    return db.session.scalars(select(Announcement)).one()


def pictures_of(announcement: Announcement) -> list[Picture]:
    db.session.rollback()
    query = select(Picture).where(Picture.announcement_id == announcement.id).order_by(Picture.position)
    return list(db.session.scalars(query))


def test_announcement_stores_pictures_with_descriptions(app: Flask, uploads: Path, staff: FormClient) -> None:
    """Posting an announcement with two pictures stores both, in order, with their descriptions, owned by staff."""
    announcement = announced(staff, (png(), "door.png", "The new entrance"), (jpeg(), "map.jpg", "A map"))
    rows = pictures_of(announcement)
    assert [(row.alt, row.owner_id) for row in rows] == [
        ("The new entrance", announcement.created_by_id),
        ("A map", announcement.created_by_id),
    ]
    assert len(stored(uploads)) == 4


def test_missing_description_refuses_and_keeps_the_text(app: Flask, uploads: Path, staff: FormClient) -> None:
    """A picture without a description is refused with a message saying so; the text stays, nothing is stored."""
    response = announce_with(staff, (jpeg(), "door.jpg", " "))
    page = soup(response)
    assert response.status_code == 422
    assert "Please describe “door.jpg” for people who cannot see it" in page.select_one("#images-error").text
    assert page.select_one("#body").text.strip() == TEXT["body"]
    assert (db.session.scalars(select(Announcement)).all(), picture_rows(), stored(uploads)) == ([], 0, [])


@pytest.mark.parametrize("signed_in", [False, True])
def test_banner_shows_the_gallery_with_alt_text(app: Flask, uploads: Path, staff: FormClient, signed_in: bool) -> None:
    """Visitors and members see the pictures beneath the banner's text, the description as alt text."""
    announced(staff, (png(), "door.png", "The new entrance"))
    reader = browser(app, make_member() if signed_in else None)
    image = soup(reader.get("/resources")).select_one(".banner .gallery img")
    assert image["alt"] == "The new entrance"


def test_staff_list_shows_the_gallery(app: Flask, uploads: Path, staff: FormClient) -> None:
    """The staff list of recent announcements shows each one's pictures beneath its text."""
    announced(staff, (png(), "door.png", "The new entrance"))
    images = soup(staff.get("/staff/announcements")).select(".card-list .gallery img")
    assert [image["alt"] for image in images] == ["The new entrance"]


def test_running_announcement_pictures_are_public(app: Flask, uploads: Path, staff: FormClient) -> None:
    """A running announcement's picture reaches visitors, with its true type, nosniff and long-lived caching."""
    picture = pictures_of(announced(staff, (png(), "door.png", "The new entrance")))[0]
    response = browser(app).get(picture_path(picture))
    assert response.status_code == 200
    assert (response.mimetype, response.headers["X-Content-Type-Options"]) == ("image/png", "nosniff")
    assert response.headers["Cache-Control"] == PUBLIC_CACHE


def test_ended_announcement_pictures_are_for_staff_only(app: Flask, uploads: Path, staff: FormClient) -> None:
    """Once the announcement has ended, its pictures answer 404 to visitors and members, and still reach staff."""
    announcement = announced(staff, (png(), "door.png", "The new entrance"))
    picture = pictures_of(announcement)[0]
    announcement = db.session.get(Announcement, announcement.id)
    announcement.ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    url = picture_path(picture)
    assert browser(app).get(url).status_code == 404
    assert browser(app, make_member()).get(url).status_code == 404
    response = staff.get(url)
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "private, no-cache")


def test_edit_adds_and_removes_pictures(app: Flask, store: str, staff: FormClient) -> None:
    """The edit form takes a new picture and takes a ticked one away, with its files."""
    announcement = announced(staff, (png(), "old.png", "Old entrance"))
    old = pictures_of(announcement)[0]
    fields = {"body": TEXT["body"], "remove_picture": str(old.id)}
    response = upload_form(
        staff, f"/staff/announcements/{announcement.id}/edit", fields, (jpeg(), "new.jpg", "New entrance")
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    rows = pictures_of(announcement)
    assert [row.alt for row in rows] == ["New entrance"]
    assert kept() == sorted([rows[0].full_key, rows[0].thumb_key])


def test_edit_form_lists_the_pictures_to_remove(app: Flask, uploads: Path, staff: FormClient) -> None:
    """The edit form shows each picture with a box to remove it."""
    announcement = announced(staff, (png(), "door.png", "The new entrance"))
    picture = pictures_of(announcement)[0]
    page = soup(staff.get(f"/staff/announcements/{announcement.id}/edit"))
    assert page.select_one(f"#remove-picture-{picture.id}")["value"] == str(picture.id)


def test_deleting_an_announcement_removes_its_pictures_and_files(app: Flask, store: str, staff: FormClient) -> None:
    """Deleting an announcement leaves no picture row and no file in storage."""
    announcement = announced(staff, (png(), "a.png", "One"), (jpeg(), "b.jpg", "Two"))
    response = staff.post_form(f"/staff/announcements/{announcement.id}/delete")
    assert response.status_code == 302
    assert (db.session.scalars(select(Announcement)).all(), picture_rows(), kept()) == ([], 0, [])


def test_only_staff_delete_announcements(app: Flask, store: str, staff: FormClient) -> None:
    """A member's delete request is refused and the announcement and its files stay."""
    announcement = announced(staff, (png(), "a.png", "One"))
    response = browser(app, make_member()).post_form(f"/staff/announcements/{announcement.id}/delete")
    assert response.status_code == 403
    assert (picture_rows(), len(kept())) == (1, 2)


def test_export_of_the_staff_member_holds_announcement_pictures(app: Flask, uploads: Path, staff: FormClient) -> None:
    """The staff member who attached a picture finds it in their export, said to belong to the announcement."""
    announcement = announced(staff, (png(), "door.png", "The new entrance"))
    response = staff.post_form("/account/export")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        [row] = json.loads(archive.read("kindred-export.json"))["pictures"]
        assert row["belongs_to"] == {"kind": "announcement", "id": announcement.id}
        assert archive.read(row["file"])[:4] == b"\x89PNG"


def test_hostile_descriptions_survive_in_the_banner(app: Flask, uploads: Path, staff: FormClient) -> None:
    """Descriptions from the hostile corpora are stored and shown as text, never as markup."""
    lines = [*read_corpus("xss-payloads.txt")[:3], *read_corpus("hostile-inputs.txt")[:1]]
    pictures = [(png(colour=(10 * n, 20, 30)), f"p{n}.png", line) for n, line in enumerate(lines)]
    announced(staff, *pictures)
    page = soup(browser(app).get("/resources"))
    assert [image["alt"] for image in page.select(".banner .gallery img")] == [" ".join(x.split()) for x in lines]
    assert page.select("script:not([src])") == []


@pytest.mark.parametrize("signed_in", [False, True])
def test_banner_pictures_add_no_statement(app: Flask, uploads: Path, staff, count_queries, signed_in: bool) -> None:  # noqa: ANN001
    """The pictures come in the banner's own statement: a page runs as many statements with them as without."""
    reader = browser(app, make_member() if signed_in else None)
    counts = []
    for pictures in ((), ((png(), "a.png", "One"), (jpeg(), "b.jpg", "Two"))):
        db.session.execute(delete(Announcement))
        db.session.commit()
        announce_with(staff, *pictures)
        with count_queries() as counter:
            reader.get("/resources")
        counts.append(len(counter))
    assert counts[0] == counts[1]


def test_staff_list_pictures_add_no_statement(app: Flask, uploads: Path, staff: FormClient, count_queries) -> None:  # noqa: ANN001
    """The staff list of announcements runs as many statements with pictures as without."""
    counts = []
    for pictures in ((), ((png(), "a.png", "One"),)):
        announce_with(staff, *pictures)
        with count_queries() as counter:
            staff.get("/staff/announcements")
        counts.append(len(counter))
    assert counts[0] == counts[1]
