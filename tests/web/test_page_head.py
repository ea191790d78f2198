"""What browsers and search engines read in a page's head: the icon, the web app manifest, and on public pages a
description and a canonical link, never describing what is not public."""

from __future__ import annotations

import json
import struct

import pytest
from flask import Flask

from app.extensions import db
from app.models import ContentStatus, GroupVisibility, Resource, ResourceKind
from app.models.member import ProfileVisibility
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_topic
from tests.support import browser, soup, topic_url

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    return struct.unpack(">II", data[16:24])


def fetched(client: FormClient, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    data = response.data
    response.close()
    return data


@pytest.fixture
def app_overrides() -> dict:
    return {"SITE_NAME": "Harbour"}


def test_favicon_is_served_and_kept(client: FormClient) -> None:
    """/favicon.ico, which every browser asks for, is an icon kept for a week rather than a 404."""
    response = client.get("/favicon.ico")
    data = fetched(client, "/favicon.ico")
    response.close()
    assert data[:4] == b"\0\0\1\0"  # an ICO file's header
    assert png_size(data[22:]) == (32, 32)  # the 32 px PNG inside it
    assert response.cache_control.public and response.cache_control.max_age >= 7 * 24 * 3600


@pytest.mark.parametrize("url", ["/", "/login", "/guidelines", "/no-such-page"])
def test_every_page_links_its_icons_and_manifest(client: FormClient, url: str) -> None:
    """Each page links a scalable icon, the favicon, a touch icon and the manifest, all of which load."""
    head = soup(client.get(url)).head
    icons = {link["href"]: link for link in head.select('link[rel="icon"]')}
    svg = next(href for href, link in icons.items() if link.get("type") == "image/svg+xml")
    assert fetched(client, svg).startswith(b"<svg")
    assert "/favicon.ico" in icons
    assert png_size(fetched(client, head.select_one('link[rel="apple-touch-icon"]')["href"])) == (180, 180)
    assert head.select_one('link[rel="manifest"]')["href"] == "/manifest.webmanifest"
    assert head.select_one('meta[name="theme-color"]')["content"].startswith("#")


def test_manifest_names_the_community_and_its_icons(client: FormClient) -> None:
    """The manifest carries the community's name, the page's theme colour and icons that exist in their sizes."""
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == manifest["short_name"] == "Harbour"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    theme = soup(client.get("/")).select_one('meta[name="theme-color"]')["content"]
    assert manifest["theme_color"] == theme
    for icon in manifest["icons"]:
        data = fetched(client, icon["src"])
        if icon["type"] == "image/png":
            width, height = png_size(data)
            assert icon["sizes"] == f"{width}x{height}"
        else:
            assert icon["sizes"] == "any" and data.startswith(b"<svg")


def description_and_canonical(client: FormClient, url: str) -> tuple[str | None, str | None]:
    head = soup(client.get(url)).head
    description = head.select('meta[name="description"]')
    canonical = head.select('link[rel="canonical"]')
    assert len(description) <= 1 and len(canonical) <= 1, url  # one of each at most
    return (description[0]["content"] if description else None, canonical[0]["href"] if canonical else None)


def test_public_pages_describe_themselves(app: Flask) -> None:
    """Home, a public group, a public topic, the guidelines and the library: a description and their own address."""
    group = make_group(name="Kidney care", slug="kidney-care")
    group.description = "Dialysis, transplants & everyday life <3"
    topic = make_topic(group=group, title="Fistula care", body="How do you look after a new **fistula**?")
    visitor = browser(app)
    pages = {
        "/": "http://localhost/",
        "/g/kidney-care": "http://localhost/g/kidney-care",
        topic_url(topic): f"http://localhost{topic_url(topic)}",
        "/guidelines": "http://localhost/guidelines",
        "/resources": "http://localhost/resources",
    }
    for url, address in pages.items():
        description, canonical = description_and_canonical(visitor, url)
        assert description and len(description) <= 203, url
        assert canonical == address, url
    assert description_and_canonical(visitor, "/g/kidney-care")[0] == "Dialysis, transplants & everyday life <3"
    assert description_and_canonical(visitor, topic_url(topic))[0] == "How do you look after a new fistula?"


def test_a_resource_and_a_public_profile_describe_themselves(app: Flask) -> None:
    """A library entry is described by its own summary; a public profile by the name and when the member joined; a
    members-only profile is neither described nor indexed."""
    resource = Resource(title="Living with it", kind=ResourceKind.ARTICLE, url="https://example.org/",
                        description="A nurse's guide to the first weeks at home.")  # fmt: skip
    make_member(display_name="Open Book")
    private = make_member(display_name="Quiet One")
    private.profile_visibility = ProfileVisibility.MEMBERS
    db.session.add(resource)
    db.session.commit()
    visitor, member = browser(app), browser(app, make_member())
    assert description_and_canonical(visitor, f"/resources/{resource.id}") == (
        "A nurse's guide to the first weeks at home.", f"http://localhost/resources/{resource.id}")  # fmt: skip
    description, canonical = description_and_canonical(visitor, "/u/Open%20Book")
    assert description.startswith("Open Book · Member since") and canonical == "http://localhost/u/Open%20Book"
    assert description_and_canonical(member, "/u/Quiet%20One") == (None, None)


def test_a_later_page_of_a_group_is_its_own_address(app: Flask) -> None:
    """Page 2 of a group's topics is canonical as page 2, not as the group's first page."""
    group = make_group(slug="busy")
    for _ in range(app.config["TOPICS_PER_PAGE"] + 1):
        make_topic(group=group)
    assert description_and_canonical(browser(app), "/g/busy?page=2")[1] == "http://localhost/g/busy?page=2"


def test_what_is_not_public_is_never_described(app: Flask) -> None:
    """A members-only group, its library and a topic waiting for review get noindex and no description, even for
    members who may read them (a description is what search results and link previews show)."""
    author = make_member()
    closed = make_group(slug="closed", visibility=GroupVisibility.MEMBERS)
    closed.description = "Secret circle"
    open_group = make_group(slug="open")
    waiting = make_topic(
        group=open_group, author=author, title="Waiting", body="Not yet seen", status=ContentStatus.PENDING
    )
    db.session.commit()
    member = browser(app, author)
    for url in ("/g/closed", "/resources?group=closed", topic_url(waiting)):
        response = member.get(url)
        assert response.status_code == 200, url
        assert description_and_canonical(member, url) == (None, None), url
    assert soup(member.get("/g/closed")).select_one('meta[name="robots"]')["content"].startswith("noindex")
