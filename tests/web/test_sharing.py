"""Sharing: a permalink on every published post, link-preview metadata on public topics only, stable URLs."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from app.models import ContentStatus, Role, Topic
from app.web.security import CONTENT_SECURITY_POLICY
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser, opening_post, soup, topic_url


@pytest.fixture
def topic(app: Flask) -> Topic:
    """A public topic with a reply."""
    topic = make_topic(group=make_group(name="Diabetes"), title="Porridge & oats", body="Oats keep me *steady*.")
    make_post(topic=topic, body="Same here.")
    return topic


def test_each_published_post_offers_its_permalink(client: FormClient, topic: Topic) -> None:
    """Every post has a Share control holding its absolute /p/<id> link, readable and selectable without JavaScript."""
    page = soup(client.get(topic_url(topic)))
    for post in page.select("li.post"):
        share = post.select_one("details.share")
        post_id = post["id"].removeprefix("p")
        assert share.select_one("input[readonly]")["value"] == f"http://localhost/p/{post_id}"
        assert share.select_one("a[rel=bookmark]")["href"] == f"http://localhost/p/{post_id}"


def test_copy_button_is_progressive_enhancement(client: FormClient, topic: Topic) -> None:
    """The copy button starts hidden and is revealed by a same-origin script file, as the CSP allows no inline code."""
    page = soup(client.get(topic_url(topic)))
    assert all(button.has_attr("hidden") for button in page.select("button[data-copy]"))
    scripts = page.select("script")
    sources = [s.get("src", "") for s in scripts]
    assert any(src.startswith("/static/share.js?v=") for src in sources) and not any(s.string for s in scripts)
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    script = client.get(next(src for src in sources if src.startswith("/static/share.js")))
    script.close()
    assert script.status_code == 200


def test_permalink_leads_to_the_post(client: FormClient, topic: Topic) -> None:
    """The shared link redirects to the topic page, anchored at the post."""
    reply = opening_post(topic)
    assert client.get(f"/p/{reply.id}").location == f"{topic_url(topic)}#p{reply.id}"


def test_unpublished_posts_offer_no_share(app: Flask, topic: Topic) -> None:
    """A post waiting for review shows its author no Share control: nobody else could open the link."""
    author = make_member()
    make_post(topic=topic, author=author, body="Still waiting", status=ContentStatus.PENDING)
    page = soup(browser(app, author).get(topic_url(topic)))
    pending = page.select_one("li.post-pending")
    assert pending is not None and pending.select("details.share") == []


def test_public_topic_has_canonical_and_link_preview_metadata(client: FormClient, topic: Topic) -> None:
    """A public topic carries a canonical link, Open Graph and Twitter card tags describing its opening post."""
    head = soup(client.get(topic_url(topic))).head
    canonical = f"http://localhost/t/{topic.id}/{topic.slug}"
    meta = {tag.get("property") or tag.get("name"): tag["content"] for tag in head.select("meta[content]")}
    assert head.select_one("link[rel=canonical]")["href"] == canonical
    assert {key: meta.get(key) for key in ("og:type", "og:title", "og:url", "og:description", "twitter:card")} == {
        "og:type": "article",
        "og:title": "Porridge & oats",
        "og:url": canonical,
        "og:description": "Oats keep me steady.",
        "twitter:card": "summary_large_image",  # with the post's share card as the picture
    }
    assert meta["og:image"] == f"http://localhost/p/{opening_post(topic).id}/card.png"
    assert "robots" not in meta


def test_later_pages_are_their_own_canonical(app: Flask, client: FormClient, topic: Topic) -> None:
    """Page 2 of a long topic names itself as canonical, not page 1."""
    for _ in range(app.config["POSTS_PER_PAGE"]):
        make_post(topic=topic)
    head = soup(client.get(f"{topic_url(topic)}?page=2")).head
    assert head.select_one("link[rel=canonical]")["href"] == f"http://localhost/t/{topic.id}/{topic.slug}?page=2"


@pytest.mark.parametrize("status", [ContentStatus.PENDING, ContentStatus.REJECTED, ContentStatus.HIDDEN])
def test_unpublished_topic_is_noindex_without_preview(app: Flask, status: ContentStatus) -> None:
    """A topic its author or a moderator can open but that is not public carries noindex and no preview metadata."""
    author = make_member()
    topic = make_topic(author=author, title="Private matter", body="Not for the world", status=status)
    reader = author if status != ContentStatus.HIDDEN else make_member(role=Role.MODERATOR)
    head = soup(browser(app, reader).get(topic_url(topic))).head
    assert head.select_one("meta[name=robots]")["content"] == "noindex, nofollow"
    assert head.select("link[rel=canonical], meta[property^='og:'], meta[name^='twitter:']") == []


def test_old_slug_redirects_to_the_current_one(client: FormClient, topic: Topic) -> None:
    """After a title change, the old URL answers 301 to the current slug (and a missing slug does too)."""
    old = topic_url(topic)
    topic.title, topic.slug = "Renamed", "renamed"
    db.session.commit()
    for url in (old, f"/t/{topic.id}"):
        response = client.get(url)
        assert (response.status_code, response.location) == (301, f"/t/{topic.id}/renamed")
