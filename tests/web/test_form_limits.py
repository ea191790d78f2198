"""Composers show their limits (maxlength from the very limits the services check, and the live count's
sentences), and every composer reports all its problems at once, each field marked and described."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from app.models import Role
from app.services.common.cleaning import BODY_MAX, TITLE_MAX
from app.services.content import announcements, guidelines
from app.services.content.resources import DESCRIPTION_MAX, URL_MAX
from app.services.messages.conversations import MESSAGE_MAX, SUBJECT_MAX
from tests.factories import make_member
from tests.support import browser, soup
from tests.web.test_preview import (
    Composer,
    announcement,
    edit_post,
    edit_resource,
    message_reply,
    new_message,
    new_resource,
    new_topic,
    reply,
)
from tests.web.test_preview import (
    guidelines as guidelines_editor,
)

LIMITS = [
    (new_topic, "title", TITLE_MAX),
    (new_topic, "body", BODY_MAX),
    (reply, "body", BODY_MAX),
    (edit_post, "body", BODY_MAX),
    (new_message, "subject", SUBJECT_MAX),
    (new_message, "body", MESSAGE_MAX),
    (message_reply, "body", MESSAGE_MAX),
    (new_resource, "title", TITLE_MAX),
    (new_resource, "description", DESCRIPTION_MAX),
    (new_resource, "url", URL_MAX),
    (edit_resource, "body", BODY_MAX),
    (announcement, "body", announcements.BODY_MAX),
    (guidelines_editor, "body", guidelines.BODY_MAX),
    (guidelines_editor, "note", guidelines.NOTE_MAX),
]


def form_page(app: Flask, composer: Composer):  # noqa: ANN201
    """The page showing the composer's form (a reply's is its topic or conversation)."""
    client = browser(app, composer.member)
    url = composer.url.removesuffix("/reply")
    return soup(client.get(url, follow_redirects=True)), client


@pytest.mark.parametrize(("make", "name", "limit"), LIMITS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_maxlength_is_the_limit_the_service_checks(app: Flask, make: Callable[[], Composer], name: str, limit: int):
    """Each title and body field tells the browser the same limit its service enforces."""
    page, _ = form_page(app, make())
    assert page.select_one(f"#{name}")["maxlength"] == str(limit)


@pytest.mark.parametrize(("make", "name", "limit"), LIMITS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_the_limit_is_the_one_enforced(app: Flask, make: Callable[[], Composer], name: str, limit: int):
    """One character more than the field's maxlength is refused, with a message beside that field."""
    composer = make()
    _, client = form_page(app, composer)
    data = {"body": "Some words to send.", **composer.data, name: "x" * (limit + 1)}
    page = soup(client.post_form(composer.url, data))
    assert page.select_one(f"#{name}")["aria-invalid"] == "true" and page.select_one(f"#{name}-error") is not None


@pytest.mark.parametrize("make", [new_topic, reply, new_message, announcement], ids=lambda f: f.__name__)
def test_body_fields_carry_the_live_counts_sentences(app: Flask, make: Callable[[], Composer]) -> None:
    """The body field holds the sentences static/counter.js fills in, in the page's language."""
    page, _ = form_page(app, make())
    body = page.select_one("textarea#body")
    assert body["data-counter"] == "{count} of {limit} characters"
    assert body["data-counter-near"] == "{left} characters left"


def test_a_field_without_a_limit_has_no_count(app: Flask) -> None:
    """The recipients field is no title or body: no live count."""
    page, _ = form_page(app, new_message())
    assert not page.select_one("#to").has_attr("data-counter")


ALL_WRONG = [
    (new_topic, {"title": "Hi", "body": "short"}, {"title", "body"}),
    (
        new_message,
        {"to": "Nobody By This Name", "subject": "s" * (SUBJECT_MAX + 1), "body": ""},
        {"to", "subject", "body"},
    ),
    (
        new_resource,
        {"title": "", "description": "d" * (DESCRIPTION_MAX + 1), "url": "ftp://x"},
        {"title", "description", "url"},
    ),
    (announcement, {"body": "", "ends_on": "2001-01-01"}, {"body", "ends_on"}),
    (guidelines_editor, {"body": "", "note": ""}, {"body", "note"}),
]


def group_editor() -> Composer:
    return Composer("/mod/groups", {"visibility": "public"}, make_member(role=Role.STAFF))


def suspension() -> Composer:
    someone = make_member()
    return Composer(f"/mod/members/{someone.id}/suspend", {}, make_member(role=Role.MODERATOR))


def watched_words() -> Composer:
    return Composer("/mod/watched-words", {}, make_member(role=Role.MODERATOR))


ALL_WRONG += [
    (group_editor, {"name": "", "slug": "Not A Slug", "position": "first"}, {"name", "slug", "position"}),
    (suspension, {"reason": "", "until": "2001-01-01"}, {"reason", "until"}),
    (watched_words, {"phrase": "", "action": "explode"}, {"phrase", "action"}),
]


@pytest.mark.parametrize(("make", "data", "fields"), ALL_WRONG, ids=[case[0].__name__ for case in ALL_WRONG])
def test_every_problem_is_reported_at_once(app: Flask, make: Callable[[], Composer], data: dict, fields: set) -> None:
    """A form with several problems lists them all in the summary, each field marked invalid and described."""
    composer = make()
    page = soup(browser(app, composer.member).post_form(composer.url, {**composer.data, **data}))
    linked = {a["href"].removeprefix("#") for a in page.select(".form-problems a")}
    marked = {element["id"] for element in page.select("[aria-invalid=true]")}
    described = {f for f in fields if f"{f}-error" in page.select_one(f"#{f}").get("aria-describedby", "")}
    assert linked == marked == described == fields
