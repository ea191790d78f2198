"""Pictures through the composers: attached with their descriptions, shown beneath the post, kept or refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Picture
from app.services.community.posting import reply
from app.services.pictures.uploads import Upload
from tests.factories import make_group, make_member, make_post, make_topic
from tests.pictures.images import jpeg, kept, picture_rows, png, stored, upload_form
from tests.support import browser, newest_post, soup


def test_new_topic_stores_pictures_with_descriptions(app: Flask, uploads: Path) -> None:
    """A new topic with two described pictures stores both, in order, with their files."""
    member = make_member()
    group = make_group(members=(member,))
    fields = {"title": "My rash after the new cream", "body": "Has anyone seen this before?"}
    response = upload_form(
        browser(app, member), f"/g/{group.slug}/new", fields,
        (jpeg(), "arm.jpg", "A red rash on the inside of an arm"), (png(), "pills.png", "A blister pack of pills"),
    )  # fmt: skip
    assert response.status_code == 302
    pictures = newest_post().pictures
    assert [p.alt for p in pictures] == ["A red rash on the inside of an arm", "A blister pack of pills"]
    assert len(stored(uploads)) == 4  # each picture's full size and thumbnail


def test_reply_shows_gallery_beneath_the_text(app: Flask, uploads: Path) -> None:
    """A reply's pictures show as thumbnails with size and lazy loading, each linking to the full picture."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    upload_form(client, f"/t/{topic.id}/reply", {"body": "Mine looked like this."}, (jpeg(), "me.jpg", "A scar"))
    page = soup(client.get(f"/t/{topic.id}/{topic.slug}"))
    image = page.select_one(".gallery img")
    picture = db.session.scalars(db.select(Picture)).one()
    assert image["alt"] == "A scar"
    assert (image["width"], image["height"], image["loading"]) == ("400", "300", "lazy")
    assert image.parent["href"] == f"/media/{picture.id}/picture-{picture.id}.jpg"
    assert image["src"] == f"/media/{picture.id}/picture-{picture.id}.jpg?size=thumb"


def test_missing_description_refuses_and_keeps_the_text(app: Flask, uploads: Path) -> None:
    """A picture without a description is refused with a message saying so; the text stays, nothing is stored."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    body = "Here is what it looks like now."
    response = upload_form(browser(app, member), f"/t/{topic.id}/reply", {"body": body}, (jpeg(), "rash.jpg", " "))
    page = soup(response)
    assert response.status_code == 422
    assert "Please describe “rash.jpg” for people who cannot see it" in page.select_one("#images-error").text
    assert page.select_one("#body").text.strip() == body
    assert (picture_rows(), stored(uploads)) == (0, [])


def test_too_many_pictures_are_refused(app: Flask, uploads: Path) -> None:
    """More pictures than KINDRED_UPLOAD_MAX_FILES are refused whole."""
    app.config["KINDRED_UPLOAD_MAX_FILES"] = 2
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    three = [(png(colour=(i, 0, 0)), f"{i}.png", f"Picture {i}") for i in range(3)]
    response = upload_form(browser(app, member), f"/t/{topic.id}/reply", {"body": "Three of them."}, *three)
    assert "You can attach at most 2 pictures." in soup(response).select_one("#images-error").text
    assert (picture_rows(), stored(uploads)) == (0, [])


def test_edit_adds_and_removes_pictures(app: Flask, store: str) -> None:
    """An edit can take one picture away and add another; the removed one's files leave storage."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    upload_form(client, f"/t/{topic.id}/reply", {"body": "Before."}, (png(colour=(1, 2, 3)), "a.png", "First"))
    post = newest_post()
    first_id, first_key = post.pictures[0].id, post.pictures[0].full_key
    fields = {"body": "After.", "remove_picture": str(first_id)}
    response = upload_form(client, f"/p/{post.id}/edit", fields, (png(colour=(9, 9, 9)), "b.png", "Second"))
    assert response.status_code == 302
    db.session.expire_all()
    assert [p.alt for p in newest_post().pictures] == ["Second"]
    assert first_key not in kept()
    assert len(kept()) == 2


def test_deleting_a_post_removes_its_files(app: Flask, store: str) -> None:
    """Deleting a published post deletes its picture rows and the files no other row names."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    upload_form(client, f"/t/{topic.id}/reply", {"body": "Soon gone."}, (png(), "a.png", "A picture"))
    post = newest_post()
    client.post_form(f"/p/{post.id}/delete")
    assert (picture_rows(), kept()) == (0, [])


def test_shared_file_stays_while_another_post_names_it(app: Flask, store: str) -> None:
    """The same picture in two posts is stored once, and stays when one of the posts is deleted."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    for body in ("First time.", "Second time."):
        upload_form(client, f"/t/{topic.id}/reply", {"body": body}, (png(), "same.png", "The same picture"))
    assert len(kept()) == 2
    client.post_form(f"/p/{newest_post().id}/delete")
    assert (picture_rows(), len(kept())) == (1, 2)


def test_group_taking_no_pictures_refuses_them(app: Flask, uploads: Path) -> None:
    """In a group whose staff chose "nobody", pictures are refused and the form offers none."""
    member = make_member()
    group = make_group(members=(member,), picture_policy="nobody")
    topic = make_topic(group=group)
    client = browser(app, member)
    response = upload_form(client, f"/t/{topic.id}/reply", {"body": "Look."}, (png(), "a.png", "A picture"))
    assert "This group does not take pictures." in soup(response).select_one("#images-error").text
    assert soup(client.get(f"/t/{topic.id}/{topic.slug}")).select("input[type=file]") == []
    assert (picture_rows(), stored(uploads)) == (0, [])


def test_newcomers_pictures_are_held_with_their_post(app: Flask, uploads: Path) -> None:
    """A not-yet-trusted member's post with pictures waits for a moderator, pictures and all."""
    newcomer = make_member(approved_posts=0)
    topic = make_topic(group=make_group(members=(newcomer,)))
    make_post(topic=topic)
    upload_form(browser(app, newcomer), f"/t/{topic.id}/reply", {"body": "Me too."}, (png(), "a.png", "A picture"))
    post = newest_post()
    assert post.status == "pending"
    assert len(post.pictures) == 1


def test_failed_write_takes_its_files_back_out(app: Flask, store: str) -> None:
    """When the post's commit fails after its files were put, the files no row names leave storage again."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))

    def database_gives_way(session: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("the database went away"))

    event.listen(Session, "before_commit", database_gives_way)
    try:
        with pytest.raises(OperationalError):
            reply(member, topic, "Lost in the outage.", pictures=[Upload("a.png", png(), "A picture")])
    finally:
        event.remove(Session, "before_commit", database_gives_way)
    assert (picture_rows(), kept()) == (0, [])
