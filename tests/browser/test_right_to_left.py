"""Kindred in Arabic in Chromium: the page runs right to left and its layout mirrors, nothing scrolls sideways on a
phone or a desktop, axe finds no serious problem, and screenshots of every page are kept as artifacts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.browser import world
from tests.browser.server import Site
from tests.browser.test_accessibility import PAGES, SIGNED_IN_PAGES, path_for, serious_violations

ARABIC = {"locale": "ar", "extra_http_headers": {"Accept-Language": "ar"}}
MAIN = ["home", "group", "topic", "profile", "search", "resources", "guidelines", "login", "register"]


@pytest.fixture(scope="module")
def place(site: Site) -> Iterator[world.Community]:
    if "ar" not in site.app.config["LOCALES"]:
        pytest.fail("Arabic is not among the shipped languages: app/translations/ar is missing")
    with site.app.test_request_context():
        yield world.community()


def overflow(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("name", MAIN)
def test_arabic_pages_mirror_and_pass_axe(new_page, place, width, name, artifacts) -> None:  # noqa: ANN001
    page = new_page(width, **ARABIC)
    page.goto(path_for(name, place, "visitor") if name in PAGES else SIGNED_IN_PAGES[name])
    page.screenshot(path=artifacts / f"ar-{width}.png", full_page=True)
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    # Mirrored: the brand sits at the right edge of the header, where an English page has it at the left.
    brand = page.locator(".site-header .brand").bounding_box()
    header = page.locator(".site-header .header-row").bounding_box()
    assert brand is not None and header is not None
    assert brand["x"] + brand["width"] > header["x"] + header["width"] / 2
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"
    assert overflow(page) <= 0
    assert serious_violations(page) == []


def test_english_text_inside_an_arabic_page_keeps_its_direction(new_page, place) -> None:  # noqa: ANN001
    """A member's English words on an Arabic page are laid out left to right within their own block."""
    page = new_page("desktop", **ARABIC)
    page.goto(path_for("topic", place, "visitor"))
    bodies = page.locator(".post-body[dir=auto]")
    assert bodies.count() > 0
    assert bodies.first.evaluate("el => getComputedStyle(el).direction") == "ltr"
