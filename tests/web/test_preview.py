"""Preview on every composer: without JavaScript the form comes back with the text and its preview, nothing stored;
with it, POST /preview answers the same cooked HTML (CSRF, rate limit, sanitised)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Member, Post, Resource, ResourceKind, Role
from tests.factories import group_of, make_conversation, make_member, make_post, make_topic
from tests.support import browser, read_corpus, soup
from tests.web.test_rendering_properties import problems
from tests.web.test_valid_html import checker_errors, vnu  # noqa: F401 - vnu: the checker's fixture

RAW = "# Day one\n\n~~Scared~~ hopeful, thanks @[Ann Lee]\n\n| when | what |\n|---|:-:|\n| 9:00 | tea |"
# Tables that change on every request whatever it does: who is signed in, and when they were last seen.
BOOKKEEPING = frozenset({"members", "login_sessions"})


@dataclass(frozen=True)
class Composer:
    url: str
    data: dict[str, str]
    member: Member


@pytest.fixture(autouse=True)
def ann(app: Flask) -> Member:
    """The member the sample text mentions."""
    return make_member(display_name="Ann Lee")


def _member() -> Member:
    return make_member()


def new_topic() -> Composer:
    me = _member()
    return Composer(f"/g/{group_of(me).slug}/new", {"title": "My first week"}, me)


def reply() -> Composer:
    me = _member()
    topic = make_topic(group=group_of(me))
    return Composer(f"/t/{topic.id}/reply", {}, me)


def edit_post() -> Composer:
    me = _member()
    post = make_post(topic=make_topic(group=group_of(me)), author=me, body="The text as it was")
    return Composer(f"/p/{post.id}/edit", {}, me)


def new_message() -> Composer:
    me, other = _member(), make_member()
    make_conversation(other, me)  # they wrote first: even a newcomer may answer them
    return Composer("/messages/new", {"to": other.display_name, "subject": "Hello", "then": "new"}, me)


def message_reply() -> Composer:
    me = _member()
    conversation = make_conversation(make_member(), me)
    return Composer(f"/messages/{conversation.id}/reply", {}, me)


def _staff() -> Member:
    return make_member(role=Role.STAFF)


def new_resource() -> Composer:
    return Composer("/staff/resources/new", {"title": "Clinic visit", "kind": "guide"}, _staff())


def edit_resource() -> Composer:
    resource = Resource(title="Clinic visit", kind=ResourceKind.GUIDE, raw="Before", cooked="<p>Before</p>\n")
    db.session.add(resource)
    db.session.commit()
    return Composer(f"/staff/resources/{resource.id}/edit", {"title": "Clinic visit", "kind": "guide"}, _staff())


def announcement() -> Composer:
    return Composer("/staff/announcements", {}, _staff())


def guidelines() -> Composer:
    return Composer("/guidelines/edit", {"note": "A new section", "based_on": "1"}, _staff())


COMPOSERS = [new_topic, reply, edit_post, new_message, message_reply, new_resource, edit_resource, announcement]
COMPOSERS += [guidelines]
LINKS_MENTIONS = {new_topic, reply, edit_post}


def snapshot() -> dict[str, list[str]]:
    """Every row of every table but the bookkeeping ones: equal snapshots mean nothing was stored."""
    db.session.rollback()
    return {
        table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        for table in db.metadata.sorted_tables
        if table.name not in BOOKKEEPING
    }


def preview_of(app: Flask, make: Callable[[], Composer], body: str = RAW):  # noqa: ANN201
    """Press a composer's Preview button without JavaScript; (response, page)."""
    composer = make()
    client = browser(app, composer.member)
    response = client.post_form(composer.url, {**composer.data, "body": body, "preview": "1"})
    return response, soup(response)


@pytest.mark.parametrize("make", COMPOSERS)
def test_preview_without_javascript_stores_nothing(app: Flask, make: Callable[[], Composer]) -> None:
    """Pressing Preview on any composer shows the page again and writes no row."""
    composer = make()
    client = browser(app, composer.member)
    before = snapshot()
    response = client.post_form(composer.url, {**composer.data, "body": RAW, "preview": "1"})
    assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize("make", COMPOSERS)
def test_preview_without_javascript_keeps_the_text_and_shows_it_cooked(app: Flask, make) -> None:  # noqa: ANN001
    """The form comes back with the text as typed, and the preview region holds the cooked HTML."""
    response, page = preview_of(app, make)
    region = page.select_one("section.preview")
    assert page.select_one("textarea#body").get_text().removeprefix("\r\n") == RAW  # the newline HTML drops
    assert region is not None and not region.has_attr("hidden") and region["aria-live"] == "polite"
    assert region.select_one("h2").get_text() == "Day one" and region.select_one("s").get_text() == "Scared"
    assert region.select_one(".table-scroll table td.align-center").get_text() == "tea"


@pytest.mark.parametrize("make", COMPOSERS)
def test_preview_links_mentions_where_posting_does(app: Flask, make) -> None:  # noqa: ANN001
    """Forum posts link @mentions in their preview as when posted; other texts keep them plain, as when stored."""
    _, page = preview_of(app, make)
    mention = page.select_one("section.preview a.mention")
    assert (mention is not None) == (make in LINKS_MENTIONS)


@pytest.mark.parametrize("make", COMPOSERS)
def test_preview_shows_no_errors_for_an_unfinished_form(app: Flask, make) -> None:  # noqa: ANN001
    """A preview is no attempt to send: an empty text shows no "please write something" error."""
    response, page = preview_of(app, make, body="")
    assert response.status_code == 200 and page.select(".form-problems, .error") == []


def test_preview_is_what_posting_stores(app: Flask) -> None:
    """The reply's preview is exactly the HTML stored once the same reply is posted."""
    composer = reply()
    client = browser(app, composer.member)
    response = client.post_form(composer.url, {"body": RAW, "preview": "1"})
    client.post_form(composer.url, {"body": RAW})
    stored = db.session.scalar(select(Post.cooked).where(Post.raw == RAW))
    shown = f'<div class="post-body" dir="auto" data-preview-output>{stored}</div>'
    assert shown in response.get_data(as_text=True)


def test_preview_with_an_expired_token_is_refused_with_the_text_kept(app: Flask) -> None:
    """A preview sent with a bad token shows no preview: the usual "form had expired" answer, text kept."""
    composer = reply()
    client = browser(app, composer.member)
    response = client.post(composer.url, data={"csrf_token": "stale", "body": RAW, "preview": "1"})
    page = soup(response)
    assert response.status_code == 400 and page.select_one("section.preview[hidden]") is not None
    assert page.select_one("textarea#body").get_text().removeprefix("\r\n") == RAW  # the newline HTML drops


def test_composer_without_preview_hides_the_empty_region(app: Flask) -> None:
    """Before any preview the region is there for the script, hidden, and the button names it."""
    composer = new_topic()
    page = soup(browser(app, composer.member).get(composer.url))
    button = page.select_one("button[name=preview]")
    assert page.select_one("section#body-preview[hidden]") is not None and button["aria-controls"] == "body-preview"


@pytest.mark.once  # starts a JVM
def test_previewed_composers_are_valid_html(app: Flask, tmp_path: Path, vnu: list[str]) -> None:  # noqa: F811
    """Each composer's page with a preview shown (a table, headings, a mention) passes the Nu HTML Checker."""
    for make in COMPOSERS:
        response, _ = preview_of(app, make)
        (tmp_path / f"{make.__name__}.html").write_bytes(response.data)
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    assert [(Path(e.get("url", "")).name, e.get("message")) for e in errors] == []


# The endpoint static/preview.js asks.


def ask_preview(client, body: str = RAW, kind: str = "post"):  # noqa: ANN001, ANN201
    return client.post_form("/preview", {"body": body, "kind": kind})


def test_preview_endpoint_answers_the_cooked_fragment(app: Flask) -> None:
    """POST /preview answers the cooked HTML alone, never cached."""
    response = ask_preview(browser(app, _member()))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    assert html.startswith("<h2>Day one</h2>") and 'class="mention"' in html and "<html" not in html


def test_preview_endpoint_leaves_mentions_plain_for_other_texts(app: Flask) -> None:
    """For texts stored without mention links (messages, staff pages) the preview has none either."""
    html = ask_preview(browser(app, _member()), kind="text").get_data(as_text=True)
    assert 'class="mention"' not in html and "@[Ann Lee]" in html


def test_preview_endpoint_refuses_a_missing_csrf_token(app: Flask) -> None:
    """Without a valid token the endpoint answers 400 and renders nothing."""
    response = browser(app, _member()).post("/preview", data={"body": "**hello**", "kind": "post"})
    assert response.status_code == 400 and "<strong>hello</strong>" not in response.get_data(as_text=True)


def test_preview_endpoint_needs_a_signed_in_member(app: Flask) -> None:
    """A visitor is sent to sign in, not given a rendering."""
    response = ask_preview(browser(app))
    assert response.status_code == 302 and response.location.startswith("/login")


def test_preview_endpoint_refuses_an_unknown_kind(app: Flask) -> None:
    """Only the two ways of cooking exist."""
    assert ask_preview(browser(app, _member()), kind="raw-html").status_code == 400


def test_preview_endpoint_refuses_text_no_composer_would_store(app: Flask) -> None:
    """A text far beyond every composer's limit is refused, not rendered."""
    assert ask_preview(browser(app, _member()), body="a" * 100_001).status_code == 400


def test_preview_endpoint_output_is_sanitised(app: Flask) -> None:
    """Every shared hostile input previews as allowed, well-formed HTML (NUL refused), never a server error."""
    client = browser(app, _member())
    found = {}
    for payload in read_corpus("xss-payloads.txt") + read_corpus("hostile-inputs.txt"):
        response = ask_preview(client, body=payload)
        html = response.get_data(as_text=True)
        expected = 400 if "\x00" in payload else 200
        if response.status_code != expected or (expected == 200 and problems(html)):
            found[payload] = (response.status_code, problems(html))
    assert found == {}


@pytest.mark.parametrize(
    "app_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}], ids=["rate-limited"]
)
def test_preview_endpoint_is_rate_limited(app: Flask) -> None:
    """Past 30 previews a minute a member gets 429 with Retry-After."""
    client = browser(app, _member())
    answers = [ask_preview(client, body="hi").status_code for _ in range(31)]
    last = ask_preview(client, body="hi")
    assert answers[:30] == [200] * 30 and last.status_code == 429 and "Retry-After" in last.headers
