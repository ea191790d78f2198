"""The visitors' shared page cache and pictures: public pictures' pages are shared, a change to a picture drops
them, and a page that linked a picture visitors may not see is never kept for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, Response

from app.models import Role
from app.web.page_cache import _storable
from app.web.page_cache_writes import VISITORS
from app.web.pictures import picture_url
from tests.factories import make_group, make_member, make_post, make_topic
from tests.pictures.images import make_picture
from tests.support import browser, page_cache_on


@pytest.fixture
def app_overrides(tmp_path: Path) -> dict:
    return page_cache_on(tmp_path)


def reply_with_picture():  # noqa: ANN201
    author = make_member()
    post = make_post(topic=make_topic(group=make_group(members=(author,))), author=author)
    return post, make_picture(post_id=post.id, owner_id=author.id, alt="A rash")


def test_visitors_share_the_page_of_a_public_picture(app: Flask, uploads: Path) -> None:
    """A topic page linking only public pictures is kept and answered to the next visitor by its ETag."""
    post, _ = reply_with_picture()
    url = f"/t/{post.topic_id}/{post.topic.slug}"
    first = browser(app).get(url)
    again = browser(app).get(url, headers={"If-None-Match": first.headers["ETag"].strip('"')})
    assert b'class="gallery"' in first.data
    assert again.status_code == 304


def test_removed_picture_leaves_the_visitors_page_at_once(app: Flask, uploads: Path) -> None:
    """After a moderator removes a picture, the next visitor's page no longer links it."""
    post, picture = reply_with_picture()
    url = f"/t/{post.topic_id}/{post.topic.slug}"
    link = f"/media/{picture.id}/".encode()
    assert link in browser(app).get(url).data
    browser(app, make_member(role=Role.MODERATOR)).post_form(f"/mod/pictures/{picture.id}/remove", {"reason": "Face"})
    assert link not in browser(app).get(url).data


def test_page_linking_a_private_picture_is_never_kept_for_visitors(app: Flask, uploads: Path) -> None:
    """Once a page has linked a picture visitors may not see, the cache refuses to keep it for visitors."""
    _, picture = reply_with_picture()
    with app.test_request_context("/"):  # a visitor: nobody signed in
        page = Response("<p>page</p>", mimetype="text/html")
        assert _storable(page, VISITORS)
        picture_url(picture, public=False)
        assert not _storable(page, VISITORS)
