"""The share card /p/<id>/card.png: a 1200 × 630 PNG of public posts only, naming the author only with consent."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from PIL import Image

from app.extensions import db
from app.models import ContentStatus, Role
from app.services.community.posting import delete_post
from tests.factories import make_member, make_post
from tests.sharing.conftest import Shared, consenting, shared_topic
from tests.support import browser, soup


def card_of(app: Flask, post_id: int, member=None):  # noqa: ANN001, ANN201
    return browser(app, member).get(f"/p/{post_id}/card.png")


def test_card_is_a_1200_by_630_png(app: Flask, shared: Shared) -> None:
    """The card decodes as a PNG of exactly 1200 × 630 pixels."""
    response = card_of(app, shared.post.id)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_public_card_is_cacheable_with_a_stable_etag(app: Flask, shared: Shared) -> None:
    """Public cards say Cache-Control public, keep their ETag between requests, and answer 304 when current."""
    first, second = card_of(app, shared.post.id), card_of(app, shared.post.id)
    assert first.headers["ETag"] == second.headers["ETag"]
    assert "public" in first.headers["Cache-Control"]
    again = browser(app).get(f"/p/{shared.post.id}/card.png", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_etag_changes_with_consent_and_with_an_edit(app: Flask, shared: Shared) -> None:
    """Withdrawing consent to the name, or editing the post, gives the card a new ETag (previews fetch it anew)."""
    before = card_of(app, shared.post.id).headers["ETag"]
    shared.author.repost_name_consent = False
    db.session.commit()
    without_name = card_of(app, shared.post.id).headers["ETag"]
    from app.text.rendering import cook

    shared.post.cooked = cook("Changed my mind about the wording.")
    db.session.commit()
    edited = card_of(app, shared.post.id).headers["ETag"]
    assert len({before, without_name, edited}) == 3


@pytest.mark.parametrize("consent", ["none", "repost only"])
def test_non_consenting_authors_card_is_the_card_of_an_anonymous_post(app: Flask, consent: str) -> None:
    """A card of an author who did not agree to their name going with it is, byte for byte, the card of the same
    post with no author at all: the drawing got nothing about them."""
    author = make_member(display_name="Private Person", repost_consent=consent == "repost only")
    thread = shared_topic(author)
    theirs = card_of(app, thread.post.id)
    thread.post.author_id = None
    db.session.commit()
    db.session.expire_all()
    anonymous = card_of(app, thread.post.id)
    assert theirs.status_code == anonymous.status_code == 200
    assert theirs.data == anonymous.data


def test_consenting_authors_card_differs_from_the_anonymous_one(app: Flask, shared: Shared) -> None:
    """With consent to the name the card draws it: its pixels differ from the same post's without an author."""
    named = card_of(app, shared.post.id).data
    shared.post.author_id = None
    db.session.commit()
    db.session.expire_all()
    assert card_of(app, shared.post.id).data != named


@pytest.mark.parametrize("case", ["pending", "hidden", "rejected", "deleted", "members-only", "pending topic"])
def test_no_card_for_what_a_visitor_cannot_read(app: Flask, case: str) -> None:
    """Pending, hidden, rejected and deleted posts, members-only groups and held topics: 404 for everyone, staff
    and the author included, so the address says nothing about them."""
    author = consenting()
    if case == "members-only":
        post = shared_topic(author, members_only=True).post
    elif case == "pending topic":
        post = shared_topic(author, status=ContentStatus.PENDING).post
    else:
        topic = shared_topic(make_member()).topic
        post = make_post(
            topic=topic, author=author, status=ContentStatus(case) if case != "deleted" else ContentStatus.VISIBLE
        )
        if case == "deleted":
            delete_post(author, post)
    for viewer in (None, author, make_member(role=Role.STAFF)):
        assert card_of(app, post.id, viewer).status_code == 404


def test_topic_page_uses_the_card_as_its_preview_image(app: Flask, shared: Shared) -> None:
    """A public topic's page names its opening post's card as og:image and twitter:image (with the large card)."""
    html = soup(browser(app).get(f"/t/{shared.topic.id}/{shared.topic.slug}"))
    card = f"http://localhost/p/{shared.post.id}/card.png"
    assert html.find("meta", property="og:image")["content"] == card
    assert html.find("meta", attrs={"name": "twitter:image"})["content"] == card
    assert html.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"


def test_members_only_topic_page_names_no_card(app: Flask) -> None:
    """A members-only topic, read by a member, still carries no preview image (nor any Open Graph)."""
    thread = shared_topic(consenting(), members_only=True)
    html = soup(browser(app, make_member()).get(f"/t/{thread.topic.id}/{thread.topic.slug}"))
    assert html.find("meta", property="og:image") is None
    assert html.find("meta", attrs={"name": "twitter:image"}) is None
