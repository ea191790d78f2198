"""Atom feeds, the sitemap and robots.txt: valid for real parsers, and holding only what any visitor may read."""

from __future__ import annotations

from xml.etree import ElementTree

import feedparser
import pytest
from flask import Flask
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import ContentStatus, Role, Topic
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser, opening_post, soup

SECRET = "Secretword"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
UNPUBLISHED = [ContentStatus.PENDING, ContentStatus.REJECTED, ContentStatus.HIDDEN, ContentStatus.DELETED]


@pytest.fixture
def group(app: Flask):  # noqa: ANN201
    return make_group(slug="diabetes", name="Diabetes")


@pytest.fixture
def topic(group) -> Topic:  # noqa: ANN001
    """A public topic with a reply that uses some Markdown."""
    topic = make_topic(group=group, author=make_member(display_name="Ann Oak"), title="Porridge", body="Oats *daily*.")
    make_post(topic=topic, author=make_member(display_name="Bob Reed"), body="Try **cinnamon**.")
    return topic


def parsed(response: TestResponse) -> feedparser.FeedParserDict:
    """The feed as a real feed reader sees it, after checking it is served as Atom."""
    assert response.status_code == 200
    assert response.content_type == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.mark.parametrize("url", ["/feeds/latest.atom", "/feeds/g/diabetes.atom", "/feeds/t/{topic}.atom"])
def test_feeds_are_valid_atom(client: FormClient, topic: Topic, url: str) -> None:
    """Each feed parses as Atom 1.0 with a feed id, title, updated, self and alternate links, and complete entries."""
    feed = parsed(client.get(url.format(topic=topic.id)))
    assert feed.feed.id and feed.feed.title and feed.feed.updated_parsed
    assert {link.rel for link in feed.feed.links} == {"self", "alternate"}
    assert feed.entries
    for entry in feed.entries:
        assert entry.id and entry.title and entry.updated_parsed and entry.author
        assert entry.link.startswith("http://localhost/")
        assert entry.content[0].type == "text/html"


def test_latest_feed_lists_topics_with_their_opening_post(client: FormClient, topic: Topic) -> None:
    """The site-wide feed has one entry per topic: its title, canonical link, author and opening post."""
    entry = parsed(client.get("/feeds/latest.atom")).entries[0]
    assert (entry.title, entry.link, entry.author) == (
        "Porridge",
        f"http://localhost/t/{topic.id}/{topic.slug}",
        "Ann Oak",
    )
    assert entry.content[0].value == "<p>Oats <em>daily</em>.</p>"


def test_topic_feed_lists_its_posts_newest_first(client: FormClient, topic: Topic) -> None:
    """A topic's feed has its posts, newest first, each linking to its permalink."""
    entries = parsed(client.get(f"/feeds/t/{topic.id}.atom")).entries
    assert [e.title for e in entries] == ["Re: Porridge", "Porridge"]
    assert entries[0].link.startswith("http://localhost/p/")
    assert entries[0].content[0].value == "<p>Try <strong>cinnamon</strong>.</p>"


def test_feed_content_is_the_sanitised_html(client: FormClient, topic: Topic) -> None:
    """Scripts a member typed reach feed readers as text, never as markup."""
    make_post(topic=topic, body="<script>alert(1)</script><img src=x onerror=alert(2)>")
    value = parsed(client.get(f"/feeds/t/{topic.id}.atom")).entries[0].content[0].value
    assert "<script" not in value and "onerror" not in value.replace("onerror=alert(2)&gt;", "")


def test_control_characters_do_not_break_the_feed(client: FormClient, group) -> None:  # noqa: ANN001
    """Characters XML cannot carry (an ANSI escape, say) are left out rather than making the feed unreadable."""
    make_topic(group=group, title="Colours \x1b[31mred", body="\x1b[0m plain \x0c text")
    assert parsed(client.get("/feeds/latest.atom")).entries[0].title == "Colours [31mred"


@pytest.mark.parametrize("status", UNPUBLISHED, ids=[s.value for s in UNPUBLISHED])
def test_unpublished_replies_stay_out_of_feeds(client: FormClient, topic: Topic, status: ContentStatus) -> None:
    """Replies that are pending, rejected, hidden or deleted appear in no feed."""
    make_post(topic=topic, body=SECRET, status=status)
    for url in ("/feeds/latest.atom", "/feeds/g/diabetes.atom", f"/feeds/t/{topic.id}.atom"):
        assert SECRET not in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("status", UNPUBLISHED, ids=[s.value for s in UNPUBLISHED])
def test_unpublished_topics_have_no_feed_and_no_entry(client: FormClient, group, status: ContentStatus) -> None:  # noqa: ANN001
    """A topic that is not published has no feed (404) and is in no list feed."""
    hidden = make_topic(group=group, title=SECRET, body=SECRET, status=status)
    assert client.get(f"/feeds/t/{hidden.id}.atom").status_code == 404
    for url in ("/feeds/latest.atom", "/feeds/g/diabetes.atom", "/sitemap.xml"):
        assert SECRET not in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_feeds_are_the_same_for_the_moderation_team(app: Flask, topic: Topic, role: Role) -> None:
    """A moderator fetching a feed gets what a visitor gets, not what the moderator may see on the site."""
    make_post(topic=topic, body=SECRET, status=ContentStatus.HIDDEN)
    moderator = browser(app, make_member(role=role))
    assert SECRET not in moderator.get(f"/feeds/t/{topic.id}.atom").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/feeds/g/nope.atom", "/feeds/t/999.atom", "/feeds/t/99999999999.atom"])
def test_missing_feeds_are_not_found(client: FormClient, url: str) -> None:
    """Unknown groups and topics have no feed."""
    assert client.get(url).status_code == 404


def test_sitemap_lists_public_pages(client: FormClient, group, topic: Topic) -> None:  # noqa: ANN001
    """The sitemap lists the home page, each group and each public topic at its canonical URL."""
    hidden = make_topic(group=group, title="Hidden one", status=ContentStatus.HIDDEN)
    response = client.get("/sitemap.xml")
    assert response.content_type == "application/xml; charset=utf-8"
    tree = ElementTree.fromstring(response.get_data())  # noqa: S314 - our own output
    locations = [loc.text for loc in tree.iter(f"{SITEMAP_NS}loc")]
    assert locations == [
        "http://localhost/",
        "http://localhost/g/diabetes",
        f"http://localhost/t/{topic.id}/{topic.slug}",
    ]
    assert f"/t/{hidden.id}/" not in response.get_data(as_text=True)


def test_robots_txt_points_to_the_sitemap_and_keeps_private_areas_out(client: FormClient) -> None:
    """robots.txt names the sitemap and disallows search results, profiles and members' own pages."""
    response = client.get("/robots.txt")
    lines = response.get_data(as_text=True).splitlines()
    assert response.content_type == "text/plain; charset=utf-8"
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert {"Disallow: /search", "Disallow: /u/", "Disallow: /mod/", "Disallow: /notifications"} <= set(lines)


def test_pages_advertise_their_feeds(client: FormClient, topic: Topic) -> None:
    """Group and topic pages link to their Atom feeds for feed readers to discover."""
    group_page = soup(client.get("/g/diabetes"))
    topic_page = soup(client.get(f"/t/{topic.id}/{topic.slug}"))
    assert group_page.select_one('link[type="application/atom+xml"]')["href"] == "/feeds/g/diabetes.atom"
    assert topic_page.select_one('link[type="application/atom+xml"]')["href"] == f"/feeds/t/{topic.id}.atom"


def test_deleted_opening_post_keeps_the_topic_out_of_list_feeds(client: FormClient, topic: Topic, group) -> None:  # noqa: ANN001
    """A topic whose opening post was removed by its author is not offered in list feeds with missing content."""
    opening = opening_post(topic)
    opening.status = ContentStatus.DELETED
    db.session.commit()
    assert parsed(client.get("/feeds/latest.atom")).entries == []
