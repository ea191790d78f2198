"""The reader's text size: the footer's links set a cookie (visitors and members alike, no token, no JavaScript), the
page's root element carries the size, and cached pages are kept per size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FormClient
from tests.factories import make_member, make_topic
from tests.support import page_cache_on


@pytest.fixture
def app_overrides(tmp_path: Path) -> dict:
    return page_cache_on(tmp_path)


def root_class(response) -> str:  # noqa: ANN001
    match = re.search(r"<html [^>]*>", response.get_data(as_text=True))
    assert match, "no <html> element"
    found = re.search(r'class="([^"]*)"', match.group(0))
    return found.group(1) if found else ""


def test_every_page_offers_the_three_sizes_and_marks_the_current_one(client: FormClient) -> None:
    """The footer lists small, normal and large as links back to this page; normal is current at first."""
    page = client.get("/guidelines").get_data(as_text=True)
    control = re.search(r'<nav class="text-size".*?</nav>', page, re.S)
    assert control, "no text-size control"
    links = re.findall(r'<a href="([^"]+)" class="text-size-(\w+)"( aria-current="true")?>', control.group(0))
    assert [(size, bool(current)) for _, size, current in links] == [
        ("small", False),
        ("normal", True),
        ("large", False),
    ]
    assert all("next=/guidelines" in href for href, _, _ in links)
    assert "csrf_token" not in control.group(0)  # visitors' pages are shared: no token of anyone's


@pytest.mark.parametrize("signed_in", [False, True])
def test_choosing_a_size_sets_the_cookie_and_returns_to_the_page(client: FormClient, login_as, signed_in) -> None:  # noqa: ANN001
    """Large is remembered in a year-long cookie and the pages after it carry it; normal forgets it."""
    if signed_in:
        login_as(make_member())
    response = client.get("/text-size?size=large&next=/guidelines")
    assert response.status_code == 302 and response.headers["Location"] == "/guidelines"
    cookie = response.headers["Set-Cookie"]
    assert "kindred_text=large" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert root_class(client.get("/guidelines")) == "text-large"
    assert 'class="text-size-large" aria-current="true"' in client.get("/resources").get_data(as_text=True)
    client.get("/text-size?size=normal&next=/")
    assert root_class(client.get("/guidelines")) == ""


@pytest.mark.parametrize("query", ["size=huge&next=/", "size=large&next=//evil.example", "next=https://x.org"])
def test_unknown_sizes_and_foreign_addresses_are_refused(client: FormClient, query: str) -> None:
    """An unknown size changes nothing; `next` only leads back into the site."""
    response = client.get(f"/text-size?{query}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert ("kindred_text=large" in response.headers.get("Set-Cookie", "")) == query.startswith("size=large")


def test_a_forged_cookie_is_ignored(client: FormClient) -> None:
    """Only the three sizes reach the page: anything else in the cookie reads as normal."""
    client.set_cookie("kindred_text", 'large" onload="x')
    assert root_class(client.get("/guidelines")) == ""


def test_cached_visitor_pages_are_kept_per_size(client: FormClient) -> None:
    """A visitor who chose large is not served the normal page another visitor left in the cache."""
    topic = make_topic(title="Sleep after surgery")
    url = f"/t/{topic.id}/{topic.slug}"
    normal = client.get(url)
    client.set_cookie("kindred_text", "large")
    large = client.get(url)
    assert (root_class(normal), root_class(large)) == ("", "text-large")
    assert normal.headers["ETag"] != large.headers["ETag"]
    client.delete_cookie("kindred_text")
    assert root_class(client.get(url)) == ""
