"""Pictures are served only to those who may see what they belong to, with headers that keep them what they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.models import ContentStatus, Role
from app.models.community import GroupVisibility
from tests.factories import make_conversation, make_group, make_member, make_post, make_topic
from tests.pictures.images import make_picture, picture_path
from tests.support import browser

PUBLIC_CACHE = "public, max-age=31536000, immutable"


def post_picture(status: ContentStatus = ContentStatus.VISIBLE, **group_fields: object):  # noqa: ANN201
    """A picture on a reply of the given status, with the reply's author."""
    author = make_member()
    post = make_post(topic=make_topic(group=make_group(**group_fields)), author=author, status=status)
    return make_picture(post_id=post.id, owner_id=author.id), author


def test_public_picture_has_true_type_and_safe_headers(app: Flask, uploads: Path) -> None:
    """A published post's picture answers with its real type, nosniff, inline with a safe name, cached long."""
    picture, _ = post_picture()
    response = browser(app).get(picture_path(picture))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == f'inline; filename="picture-{picture.id}.png"'
    assert response.headers["Cache-Control"] == PUBLIC_CACHE
    assert response.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_thumbnail_is_served_with_size_thumb(app: Flask, uploads: Path) -> None:
    """?size=thumb answers the thumbnail's own bytes, not the full picture's."""
    picture, _ = post_picture()
    client = browser(app)
    assert len(client.get(picture_path(picture, thumb=True)).data) < len(client.get(picture_path(picture)).data)


def test_another_file_name_is_not_found(app: Flask, uploads: Path) -> None:
    """Only the picture's own name answers: anything else (a path, another name) is 404."""
    picture, _ = post_picture()
    assert browser(app).get(f"/media/{picture.id}/..%2F..%2Fconfig.py").status_code == 404
    assert browser(app).get(f"/media/{picture.id}/other.png").status_code == 404


@pytest.mark.parametrize(
    ("status", "viewer", "expected"),
    [
        (ContentStatus.PENDING, "author", 200),
        (ContentStatus.PENDING, "moderator", 200),
        (ContentStatus.PENDING, "member", 404),
        (ContentStatus.PENDING, "visitor", 404),
        (ContentStatus.HIDDEN, "moderator", 200),
        (ContentStatus.HIDDEN, "author", 404),
        (ContentStatus.HIDDEN, "visitor", 404),
        (ContentStatus.DELETED, "author", 404),
        (ContentStatus.DELETED, "visitor", 404),
    ],
)
def test_unpublished_posts_pictures_follow_the_post(
    app: Flask, uploads: Path, status: ContentStatus, viewer: str, expected: int
) -> None:
    """A pending post's pictures reach its author and moderators, a hidden one's moderators, a deleted one's nobody."""
    picture, author = post_picture(status)
    who = {"author": author, "moderator": make_member(role=Role.MODERATOR), "member": make_member(), "visitor": None}
    response = browser(app, who[viewer]).get(picture_path(picture))
    assert response.status_code == expected
    if expected == 200:
        assert response.headers["Cache-Control"] == "private, no-cache"


def test_members_only_group_picture_is_for_signed_in_members(app: Flask, uploads: Path) -> None:
    """In a members-only group a visitor gets 404; a signed-in member gets the picture, privately cached."""
    picture, _ = post_picture(visibility=GroupVisibility.MEMBERS)
    assert browser(app).get(picture_path(picture)).status_code == 404
    response = browser(app, make_member()).get(picture_path(picture))
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "private, no-cache")


@pytest.mark.parametrize(("viewer", "expected"), [("recipient", 200), ("other", 404), ("moderator", 404)])
def test_private_message_picture_is_for_participants_only(
    app: Flask, uploads: Path, viewer: str, expected: int
) -> None:
    """A private message's picture reaches the people in the conversation, and nobody else, staff included."""
    author, recipient = make_member(), make_member()
    conversation = make_conversation(author, recipient)
    message_id = conversation.last_message_id
    picture = make_picture(message_id=message_id, owner_id=author.id)
    who = {"recipient": recipient, "other": make_member(), "moderator": make_member(role=Role.ADMIN)}
    assert browser(app, who[viewer]).get(picture_path(picture)).status_code == expected


def test_missing_picture_is_not_found(app: Flask, uploads: Path) -> None:
    """An id no picture has, or one past the database's integers, answers 404."""
    assert browser(app).get("/media/12345/picture-12345.png").status_code == 404
    assert browser(app).get(f"/media/{2**40}/picture-1.png").status_code == 404
