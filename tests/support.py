"""Plain functions and constants the test areas share: reading pages, checking markup, acting through the forms
with a given browser, and reading what was stored. Fixtures live in the conftest.py files, test data in factories.py."""

from __future__ import annotations

import html
import os
import re
import time
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from bs4 import BeautifulSoup, Tag
from bs4.exceptions import ParserRejectedMarkup
from flask import Flask, current_app
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import (
    AuditEvent,
    ContentStatus,
    Group,
    GroupMembership,
    Member,
    Notification,
    OutboxMessage,
    Post,
    ReviewItem,
    ReviewStatus,
    Topic,
)
from tests.conftest import FormClient, sign_in
from tests.live_server import CSRF_RE  # defined beside the live browser that reads it; bench/ imports that module

__all__ = ["CSRF_RE"]

# --- markup a browser could run -------------------------------------------------------------------------------------

# In CI the repository is cloned with a copy of shared/ beside it, as in the workspace.
DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPORA = ("xss-payloads.txt", "hostile-inputs.txt")

FORBIDDEN_TAGS = ["script", "iframe", "object", "embed", "svg", "style", "math", "base", "frame", "frameset", "applet"]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcdoc"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)
URL_NOISE = "".join(map(chr, range(33)))  # browsers skip leading controls and spaces before a scheme


def page_cache_on(tmp_path: Path) -> dict[str, object]:
    """Settings that switch the page cache on with a version file and Redis keys of the test's own, so that other
    test runs on the machine never move its versions."""
    return {
        "PAGE_CACHE": True,
        "PAGE_CACHE_VERSION_FILE": str(tmp_path / "content-version"),
        "REDIS_KEY_PREFIX": f"kindred-test-{tmp_path.name}-{os.getpid()}",
    }


@cache
def read_corpus(name: str) -> tuple[str, ...]:
    """The corpus lines, split on "\\n" only: some entries hold U+2028 or U+0085, which splitlines() would cut."""
    path = DATA_DIR / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: the shared/ folder must sit beside the repository", pytrace=False)
    return tuple(line for line in path.read_text(encoding="utf-8").split("\n") if line)


def as_title(text: str) -> str:
    """A title as the posting service stores it: runs of whitespace become one space, none at the ends."""
    return " ".join(text.split())


def as_body(text: str) -> str:
    """A body as the posting service stores it: CRLF becomes LF, no whitespace at the ends."""
    return text.replace("\r\n", "\n").strip()


def url_scheme_text(value: str) -> str:
    """An attribute value as a browser reads its scheme: tabs and newlines dropped, leading controls skipped."""
    return re.sub(r"[\t\n\r]", "", value).lstrip(URL_NOISE)


def is_site_script(element: Tag) -> bool:
    """The layout's own scripts: a file from /static/ and nothing inline, as the CSP's script-src 'self' allows."""
    return str(element.get("src", "")).startswith("/static/") and not element.get_text(strip=True)


def executable_markup(soup: BeautifulSoup) -> list[str]:
    """Elements and attributes a browser could run; the layout has only its own scripts, so these came from input."""
    found = []
    for element in soup.find_all(True):
        own_script = element.name == "script" and is_site_script(element)
        refresh = element.name == "meta" and element.has_attr("http-equiv")
        if (element.name in FORBIDDEN_TAGS and not own_script) or refresh:
            found.append(f"a <{element.name}> element")
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else value
            name = name.lower()
            if name.startswith("on") or (name in URL_ATTRIBUTES and BAD_SCHEME.match(url_scheme_text(text))):
                found.append(f"<{element.name} {name}={text[:60]!r}>")
    return found


def refusal_message(soup: BeautifulSoup) -> str:
    """What the form tells the member to change: its field errors and its own problems."""
    problems = soup.find("div", class_="form-problems")
    paragraphs = soup.find_all("p", class_="error") + (problems.find_all("p") if problems else [])
    texts = [p.get_text(" ", strip=True) for p in paragraphs]
    return " ".join(text for text in texts if text and text != "Please check the form.")


# The staff pages' own check: the dashboard draws SVG charts (class chart-svg or rank-bar), and no staff page shows
# images, so an <img> or any other <svg> came from the input.
STAFF_FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "math",
    "base",
    "frame",
    "frameset",
    "applet",
    "img",
}


def staff_page_executable_markup(soup: BeautifulSoup) -> list[str]:
    """Elements and attributes a browser could run on a staff page. The layout's only SVG is the dashboard's charts
    (class chart-svg or rank-bar), so any other <svg>, script or event handler came from the input."""
    found = []
    for element in soup.find_all(True):
        classes = set(element.get("class") or [])
        our_script = element.name == "script" and element.get("src", "").startswith("/static/")
        if (element.name in STAFF_FORBIDDEN_TAGS and not our_script) or (
            element.name == "svg" and not {"chart-svg", "rank-bar"} & classes
        ):
            found.append(f"<{element.name}>")
        if element.name == "meta" and element.has_attr("http-equiv"):
            found.append("<meta http-equiv>")
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or (
                name.lower() in URL_ATTRIBUTES and BAD_SCHEME.match(url_scheme_text(text))
            ):
                found.append(f"<{element.name} {name}={text[:60]!r}>")
    return found


class Findings:
    """The problems of every corpus line, asserted together so one run shows them all."""

    def __init__(self, server_errors: list[BaseException]) -> None:
        self.problems: list[str] = []
        self.stored = 0
        self._server_errors = server_errors

    def note(self, line: str, problem: str) -> None:
        self.problems.append(f"{line[:70]!r}: {problem}")

    def page(self, line: str, response) -> BeautifulSoup:  # noqa: ANN001
        """Check any answer: no server error, no executable markup. Returns the parsed page."""
        if response.status_code >= 500:
            cause = repr(self._server_errors[-1])[:200] if self._server_errors else "no exception recorded"
            self.note(
                line, f"{response.request.method} {response.request.path} answered {response.status_code}: {cause}"
            )
        try:
            soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        except ParserRejectedMarkup as error:  # the layout always parses: this markup came from the input
            self.note(line, f"{response.request.path} is not well-formed HTML: {str(error).splitlines()[-1]}")
            return BeautifulSoup("", "html.parser")
        for markup in executable_markup(soup):
            self.note(line, f"{response.request.path} contains {markup}")
        return soup

    def stored_as(self, line: str, value: object, expected: object) -> None:
        self.stored += 1
        if value != expected:
            self.note(line, f"stored as {value!r}, expected {expected!r}")

    def refused(self, line: str, response, soup: BeautifulSoup, *, written: bool) -> None:  # noqa: ANN001
        """A refusal is the form again, with status 422, a message, and nothing written."""
        if response.status_code != 422:
            self.note(line, f"answered {response.status_code}, neither stored (302) nor refused (422)")
        elif not refusal_message(soup):
            self.note(line, "refused without a message saying why")
        if written:
            self.note(line, "refused, yet something was written")

    def assert_clean(self, *, something_stored: bool = True) -> None:
        shown = "\n".join(self.problems[:40])
        assert not self.problems, f"{len(self.problems)} problems:\n{shown}"
        if something_stored:
            assert self.stored, "no line was stored at all: the form never accepted anything"


# --- pages ------------------------------------------------------------------------------------------------------------


def soup(response: TestResponse) -> BeautifulSoup:
    """The response's HTML, parsed."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def page(response: TestResponse) -> str:
    """The response's HTML with entities resolved, so quotes and apostrophes read as typed."""
    return html.unescape(response.get_data(as_text=True))


def page_text(response: TestResponse) -> str:
    """The page's words as a reader sees them: tags and entities resolved, whitespace collapsed."""
    return " ".join(soup(response).get_text(" ").split())


def post_bodies(response: TestResponse) -> list[str]:
    """The text of each post shown on a topic page, in page order."""
    return [body.get_text(" ", strip=True) for body in soup(response).select("li.post .post-body")]


def topic_titles(response: TestResponse) -> list[str]:
    """The titles a group page lists, in page order."""
    return [link.get_text(strip=True) for link in soup(response).select("a.topic-title")]


def topic_url(topic: Topic) -> str:
    """The topic's canonical URL."""
    return f"/t/{topic.id}/{topic.slug}"


# Who may open the staff pages, by role name (the roles of factories.ROLE_FIELDS, and visitors).
STAFF_ONLY = {"visitor": False, "member": False, "mentor": False, "moderator": False, "staff": True, "admin": True}


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


# --- browsers and forms -----------------------------------------------------------------------------------------------


def browser(app: Flask, member: Member | None = None) -> FormClient:
    """A browser of its own: a visitor, or `member` signed in (as the login form would, without it)."""
    client: FormClient = app.test_client()  # type: ignore[assignment]
    if member is not None:
        sign_in(client, member)
    return client


def post_topic(
    client: FormClient, group: Group, title: str = "Sleep after surgery", body: str = "Any tips for sleeping?"
) -> TestResponse:
    """Submit the new-topic form of `group`."""
    return client.post_form(f"/g/{group.slug}/new", {"title": title, "body": body})


def post_reply(client: FormClient, topic: Topic, body: str = "You are not alone in this.") -> TestResponse:
    """Submit the reply form of `topic`."""
    return client.post_form(f"/t/{topic.id}/reply", {"body": body})


def decide_on_page(
    client: FormClient,
    item: ReviewItem,
    action: str,
    note: str = "",
    guideline: str = "",
    version: int | None = None,
) -> TestResponse:
    """Submit an item's decision form on the queue page, following the redirect back to the queue."""
    data = {
        "action": action,
        "note": note,
        "guideline": guideline,
        "version": str(item.version if version is None else version),
    }
    return client.post_form(f"/mod/items/{item.id}/decide", data, follow_redirects=True)


RESULT_LINK = re.compile(r"^/p/(\d+)$")


def search(client: FormClient, q: str, **filters: str) -> TestResponse:
    """GET the search page like the header's search box (and the filter form) would."""
    response = client.get("/search", query_string={"q": q, **filters})
    assert response.status_code == 200, response.status_code
    return response


def found_ids(response: TestResponse) -> list[int]:
    """The ids of the posts the page lists as results, in page order."""
    links = soup(response).select("li.search-result h2 a")
    return [int(RESULT_LINK.match(link["href"]).group(1)) for link in links]


def found(client: FormClient, q: str, **filters: str) -> set[int]:
    """The set of post ids a search finds (first page)."""
    return set(found_ids(search(client, q, **filters)))


# --- mail and its links -----------------------------------------------------------------------------------------------

BASE_URL = "http://kindred.test"  # where mailed links point when a test sends mail to its SMTP server
LINK_RE = re.compile(r"https?://\S+")


def outbox(to: str | None = None) -> list[OutboxMessage]:
    """Every outbox row (for one address), oldest first, as committed."""
    db.session.rollback()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to is not None:
        query = query.where(OutboxMessage.to_address == to)
    return list(db.session.scalars(query))


def last_link(to: str) -> str:
    """The link in the newest mail to `to`, as a path for the test client."""
    messages = outbox(to)
    assert messages, f"no mail to {to}"
    links = LINK_RE.findall(messages[-1].body_text)
    assert links, "the mail has no link"
    return "/" + links[0].split("/", 3)[3]


def aged_token(purpose: str, payload: dict, age: timedelta) -> str:
    """A genuine token for `purpose`, signed `age` ago (as if the member opened an old e-mail)."""

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - age.total_seconds())

    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"kindred.{purpose}", signer=PastSigner)
    return str(serializer.dumps(payload))


def tampered(path: str) -> str:
    """The same link with the first character of its signature changed (the last one may carry unused bits)."""
    at = path.rindex(".") + 1
    return path[:at] + ("A" if path[at] != "A" else "B") + path[at + 1 :]


# --- what was stored --------------------------------------------------------------------------------------------------


def opening_post(topic: Topic) -> Post:
    """The post that opened `topic`."""
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.is_opening))


def count_rows(model: type) -> int:
    """How many rows the model's table holds."""
    return db.session.scalar(select(func.count()).select_from(model))


def refreshed(obj: Any) -> Any:
    """The object re-read from the database, after the views changed it in their own sessions."""
    db.session.refresh(obj)
    return obj


def newest_post() -> Post:
    """The most recently stored post."""
    return db.session.scalar(select(Post).order_by(Post.id.desc()).limit(1))


def open_item(post: Post) -> ReviewItem | None:
    """The post's open review item, if it has one."""
    db.session.expire_all()
    return db.session.scalar(
        select(ReviewItem).where(ReviewItem.post_id == post.id, ReviewItem.status == ReviewStatus.OPEN)
    )


def audit_events() -> list[AuditEvent]:
    """Every audit event, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def notifications_of(member: Member, kind: str | None = None) -> list[Notification]:
    """The member's notifications (of one kind), oldest first, as committed."""
    db.session.expire_all()
    query = select(Notification).where(Notification.member_id == member.id).order_by(Notification.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


def stored_state() -> dict[str, list[tuple]]:
    """Every community row with its counters: an unchanged snapshot means no row and no counter was written."""
    queries = {
        "groups": select(Group.id, Group.topic_count, Group.post_count, Group.member_count, Group.last_activity_at),
        "memberships": select(GroupMembership.member_id, GroupMembership.group_id),
        "members": select(Member.id, Member.post_count, Member.status),
        "topics": select(Topic.id, Topic.title, Topic.slug, Topic.status, Topic.reply_count, Topic.last_activity_at),
        "posts": select(Post.id, Post.status, Post.raw, Post.cooked, Post.edited_at),
    }
    return {name: sorted(tuple(row) for row in db.session.execute(query)) for name, query in queries.items()}


def _count(query: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def counters_and_recounts() -> tuple[dict[str, tuple], dict[str, tuple]]:
    """Each stored counter, and the same number counted with SQL from the rows it summarises."""
    db.session.expire_all()
    visible = ContentStatus.VISIBLE
    stored, counted = {}, {}
    for group in db.session.scalars(select(Group)):
        stored[f"group {group.slug}"] = (group.topic_count, group.post_count, group.member_count)
        counted[f"group {group.slug}"] = (
            _count(select(Topic.id).where(Topic.group_id == group.id, Topic.status == visible)),
            _count(
                select(Post.id)
                .join(Post.topic)
                .where(Topic.group_id == group.id, Topic.status == visible, Post.status == visible)
            ),
            _count(select(GroupMembership.member_id).where(GroupMembership.group_id == group.id)),
        )
    for topic in db.session.scalars(select(Topic)):
        stored[f"topic {topic.id}"] = (topic.reply_count,)
        counted[f"topic {topic.id}"] = (
            _count(select(Post.id).where(Post.topic_id == topic.id, ~Post.is_opening, Post.status == visible)),
        )
    for member in db.session.scalars(select(Member)):
        stored[f"member {member.id}"] = (member.post_count,)
        counted[f"member {member.id}"] = (
            _count(select(Post.id).where(Post.author_id == member.id, Post.status == visible)),
        )
    return stored, counted


def write_catalogue(root: Path, catalog: Catalog) -> None:
    """Compile `catalog` under `root`, with a messages.po beside it so the app counts the language as shipped."""
    folder = root / str(catalog.locale) / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text("# built by a test\n")
    with (folder / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)


def write_catalogues(root: Path, translated: dict[str, dict[str, str]]) -> Path:
    """Small compiled catalogues under `root` ({"es": {"Groups": "Grupos"}}): for tests of choosing languages,
    whatever the real catalogues hold."""
    for code, messages in translated.items():
        catalog = Catalog(locale=code)
        for source, translation in messages.items():
            catalog.add(source, translation)
        write_catalogue(root, catalog)
    return root
