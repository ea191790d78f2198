"""Bookmarks are their owner's alone: other members, moderators and staff neither see nor change them anywhere."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Bookmark, Role
from tests.bookmarks.conftest import Thread, bookmark_post
from tests.conftest import FormClient
from tests.factories import make_member
from tests.support import browser, page

NOTE = "notemark-cobalt: ask about the night dose"
OTHERS = [Role.MEMBER, Role.MODERATOR, Role.ADMIN]


@pytest.fixture
def kept(app: Flask, thread: Thread) -> Bookmark:
    """The reader's bookmark on the reply, with a private note."""
    bookmark = bookmark_post(thread.client, thread.reply)
    assert thread.client.post_form(f"/bookmarks/{bookmark.id}", {"note": NOTE}).status_code == 302
    return bookmark


def bookmark_rows() -> list[tuple]:
    """Every bookmark row as committed: equal lists mean nothing was written."""
    db.session.rollback()
    return [tuple(row) for row in db.session.execute(select(Bookmark.__table__).order_by(Bookmark.id))]


def someone(app: Flask, role: Role) -> FormClient:
    return browser(app, make_member(role=role))


@pytest.mark.parametrize("role", OTHERS)
def test_another_members_bookmark_page_is_not_found(app: Flask, kept: Bookmark, role: Role) -> None:
    """Opening someone else's bookmark answers 404, like a missing one, for members, moderators and admins."""
    response = someone(app, role).get(f"/bookmarks/{kept.id}")
    assert response.status_code == 404
    assert NOTE not in page(response)


@pytest.mark.parametrize("role", OTHERS)
def test_another_members_bookmark_cannot_be_changed_or_removed(app: Flask, kept: Bookmark, role: Role) -> None:
    """Saving or removing someone else's bookmark answers 404 and changes no row."""
    client, before = someone(app, role), bookmark_rows()
    assert client.post_form(f"/bookmarks/{kept.id}", {"note": "Rewritten"}).status_code == 404
    assert client.post_form(f"/bookmarks/{kept.id}/delete").status_code == 404
    assert bookmark_rows() == before


@pytest.mark.parametrize("role", OTHERS)
def test_others_see_nothing_of_it_on_their_list_or_the_topic(app: Flask, thread: Thread, kept: Bookmark, role) -> None:  # noqa: ANN001
    """Another member's /bookmarks is empty and their topic page shows the reply as not bookmarked."""
    client = someone(app, role)
    listing = page(client.get("/bookmarks"))
    assert NOTE not in listing
    assert "No bookmarks yet" in listing
    topic_page = page(client.get(f"/t/{thread.topic.id}/{thread.topic.slug}"))
    assert f"/p/{thread.reply.id}/unbookmark" not in topic_page
    assert f"/bookmarks/{kept.id}" not in topic_page


@pytest.mark.parametrize("role", OTHERS)
def test_others_unbookmarking_the_post_leaves_the_owners_bookmark(app: Flask, kept: Bookmark, role: Role) -> None:
    """Someone else pressing "unbookmark" on the same post removes only their own (none): the owner's stays."""
    assert someone(app, role).post_form(f"/p/{kept.post_id}/unbookmark").status_code == 302
    db.session.rollback()
    assert db.session.get(Bookmark, kept.id) is not None


def test_a_visitor_is_asked_to_sign_in(app: Flask, kept: Bookmark) -> None:
    """Visitors reach no bookmark page: the list and a bookmark's page send them to sign in."""
    client = browser(app)
    for url in ("/bookmarks", f"/bookmarks/{kept.id}"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.location.startswith("/login")
