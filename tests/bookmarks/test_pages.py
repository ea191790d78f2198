"""The bookmark pages and buttons as a browser gets them: valid HTML (Nu HTML Checker), headings in order, every
control reachable and named, and the pages working without JavaScript (plain forms and links)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from app.extensions import db
from app.models import ContentStatus
from tests.bookmarks.conftest import Thread, bookmark_post
from tests.factories import make_post
from tests.web.test_valid_html import checker_errors, describe, vnu  # noqa: F401 - vnu is a fixture


@pytest.fixture
def pages(app: Flask, thread: Thread) -> dict[str, str]:
    """The list (one bookmark available, one gone), a bookmark's page with errors, and the topic with both states."""
    kept = bookmark_post(thread.client, thread.reply)
    gone = bookmark_post(thread.client, make_post(topic=thread.topic))
    gone.post.status = ContentStatus.HIDDEN
    db.session.commit()
    thread.client.post_form(f"/t/{thread.topic.id}/bookmark")
    thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "Two\nlines", "remind_at": "2099-01-01T10:00"})
    return {
        "list": thread.client.get("/bookmarks").get_data(as_text=True),
        "edit": thread.client.get(f"/bookmarks/{kept.id}").get_data(as_text=True),
        "edit-errors": thread.client.post_form(f"/bookmarks/{kept.id}", {"remind_at": "2001-01-01T10:00"}).get_data(
            as_text=True
        ),
        "topic": thread.client.get(f"/t/{thread.topic.id}/{thread.topic.slug}").get_data(as_text=True),
    }


@pytest.mark.once  # starts a JVM
def test_bookmark_pages_are_valid_html(pages: dict[str, str], tmp_path: Path, vnu: list[str]) -> None:  # noqa: F811
    """The list, a bookmark's page (also with errors) and a topic with bookmarks have no HTML error."""
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    problems = sorted({describe(error, {f"{name}.html": name for name in pages}) for error in errors})
    assert problems == []


@pytest.mark.parametrize("name", ["list", "edit", "edit-errors", "topic"])
def test_headings_go_down_one_level_at_a_time(pages: dict[str, str], name: str) -> None:
    """One h1, and no heading skips a level after it."""
    levels = [int(h.name[1]) for h in soup_of(pages[name]).find_all(["h1", "h2", "h3", "h4"])]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_every_bookmark_button_is_a_named_submit_in_a_plain_form(pages: dict[str, str]) -> None:
    """Each button is a real submit in a POST form with CSRF (keyboard and no-JavaScript ready), named by its text
    and described by what it keeps."""
    html = soup_of(pages["topic"])
    buttons = html.select("form.bookmark-form button")
    assert len(buttons) == 3  # the topic, the opening post and the reply (the hidden post is not shown)
    for button in buttons:
        assert button["type"] == "submit" and button.get_text(strip=True)
        assert html.find(id=button["aria-describedby"]) is not None
        form = button.find_parent("form")
        assert form["method"] == "post" and form.find("input", attrs={"name": "csrf_token"})


def test_the_state_is_in_the_buttons_words(pages: dict[str, str]) -> None:
    """Kept items say "Bookmarked" and what pressing does, for screen readers too; others say "Bookmark"."""
    texts = sorted(b.get_text(" ", strip=True) for b in soup_of(pages["topic"]).select("form.bookmark-form button"))
    kept = "Bookmarked (press to remove the bookmark)"
    assert texts == ["Bookmark", kept, kept]  # the opening post; the topic and the reply were kept


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")
