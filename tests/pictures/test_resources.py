"""Resource pages take pictures: staff attach and remove them, everyone reads them while the entry is in the
library, staff alone once it is archived."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Resource, Role
from tests.factories import make_member
from tests.pictures.images import kept, picture_rows, png, upload_form
from tests.support import browser, soup

ENTRY = {"title": "Reading a glucose chart", "kind": "guide", "body": "The chart below shows a typical day."}


def staff_adds_entry_with_picture(app: Flask):  # noqa: ANN201
    staff = browser(app, make_member(role=Role.STAFF))
    response = upload_form(staff, "/staff/resources/new", ENTRY, (png(), "chart.png", "A glucose chart over a day"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return staff, db.session.scalars(select(Resource)).one()


def test_resource_page_shows_its_pictures_to_visitors(app: Flask, uploads: Path) -> None:
    """A library page's picture shows beneath its text and is served publicly."""
    _, resource = staff_adds_entry_with_picture(app)
    visitor = browser(app)
    image = soup(visitor.get(f"/resources/{resource.id}")).select_one(".gallery img")
    assert image["alt"] == "A glucose chart over a day"
    response = visitor.get(image["src"])
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "public, max-age=31536000, immutable")


def test_archived_resource_pictures_are_for_staff_only(app: Flask, uploads: Path) -> None:
    """Once the entry is archived, its pictures answer 404 to visitors and members, and still reach staff."""
    staff, resource = staff_adds_entry_with_picture(app)
    picture = resource.pictures[0]
    url = f"/media/{picture.id}/picture-{picture.id}.png"
    resource.archived = True
    db.session.commit()
    assert browser(app).get(url).status_code == 404
    assert browser(app, make_member()).get(url).status_code == 404
    assert staff.get(url).status_code == 200


def test_staff_remove_a_resource_picture(app: Flask, store: str) -> None:
    """Ticking a picture off on the edit form removes its row and its files."""
    staff, resource = staff_adds_entry_with_picture(app)
    picture_id = resource.pictures[0].id
    response = upload_form(staff, f"/staff/resources/{resource.id}/edit", {**ENTRY, "remove_picture": str(picture_id)})
    assert response.status_code == 302
    assert (picture_rows(), kept()) == (0, [])
