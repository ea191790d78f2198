"""Every text field against the shared hostile corpora (SECURITY.md #26): never a server error, nothing executable
in the page, and each value either stored faithfully or refused with a message saying what to change.

Each corpus line goes through the real form over HTTP; the lines of one field share a test, and the problems of all
lines are reported together at its end.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import ContentStatus, LoginSession, Member, Post, Topic
from app.services.members import passwords
from app.services.members.identity import display_name_key
from app.text.rendering import cook
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_topic
from tests.support import CORPORA, as_body, as_title, read_corpus

TOPIC_ID = re.compile(r"^/t/(\d+)(?:/|$)")
# A reply lands on its anchor; the same words sent again (a repeat, posted once) land on the first one: /p/<id>.
POST_ID = re.compile(r"(?:#p|^/p/)(\d+)$")
ORDINARY_TITLE = "An ordinary title"
ORDINARY_BODY = "An ordinary body."
# The author has already seen and confirmed the nudges about personal details and advice (their own tests cover the
# step itself): here the question is only whether hostile text is stored faithfully or refused clearly.
CONFIRMED = {"confirm_personal": "y", "confirm_advice": "y"}


def as_display_name(text: str) -> str:
    """A display name as the identity rules store it: stripped, NFKC-normalised."""
    return unicodedata.normalize("NFKC", text.strip())


def same_site(location: str) -> bool:
    """A path on this site: no scheme, no host, not scheme-relative, nothing a browser would strip to make it so."""
    parts = urlsplit(location)
    return (
        location.startswith("/")
        and not location.startswith(("//", "/\\"))
        and not (parts.scheme or parts.netloc)
        and all(ord(char) > 32 for char in location)
    )


def count(model: type) -> int:
    """Rows as the requests left them (column queries, so nothing cached in the test's session is read)."""
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def title_and_body(post_id: int) -> tuple[str, str] | None:
    """The stored title of a post's topic and the post's raw text."""
    row = db.session.execute(select(Topic.title, Post.raw).join(Post.topic).where(Post.id == post_id)).first()
    return None if row is None else (row.title, row.raw)


@pytest.fixture(params=CORPORA)
def corpus(request: pytest.FixtureRequest) -> tuple[str, ...]:
    return read_corpus(request.param)


@pytest.fixture
def app_overrides() -> dict:
    """A whole corpus on one group or topic page; server errors answered as 500 pages, so every line is tried."""
    return {"TOPICS_PER_PAGE": 1000, "POSTS_PER_PAGE": 1000, "PROPAGATE_EXCEPTIONS": False}


@pytest.fixture
def client(app: Flask) -> FormClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def member() -> Member:
    """The member who posts every line."""
    return make_member(display_name="Corpus Poster")


@pytest.fixture
def group(member: Member):  # noqa: ANN201
    return make_group(members=(member,))


def add_topics(group, author: Member, how_many: int) -> list[int]:  # noqa: ANN001
    """Topics by `author`, written in one transaction (a factory call each would be slow); their opening posts' ids."""
    posts = [
        Post(
            topic=Topic(group=group, author=author, title=ORDINARY_TITLE, slug="an-ordinary-title"),
            author=author,
            raw=ORDINARY_BODY,
            cooked=cook(ORDINARY_BODY),
            is_opening=True,
        )
        for _ in range(how_many)
    ]
    db.session.add_all(posts)
    group.topic_count += how_many
    group.post_count += how_many
    author.post_count += how_many
    db.session.commit()
    return [post.id for post in posts]


def field_text(soup: BeautifulSoup, name: str) -> str | None:
    """What a form field shows: an input's value, or a textarea's text (less the newline browsers drop)."""
    field = soup.find(["input", "textarea"], attrs={"name": name})
    if field is None:
        return None
    if field.name == "input":
        return field.get("value")
    return field.get_text().removeprefix("\r\n").removeprefix("\n")


# --- posting ------------------------------------------------------------------------------------------------------
# Title and body are cleaned independently, so one submission tries a line in both. When it is refused, each field
# is tried again beside an ordinary partner, to learn which one refused it and that the other still stores it.


def test_new_topic_title_and_body_are_stored_or_refused(client, login_as, member, group, corpus, findings):
    """A hostile title and body start a topic as typed (collapsed, stripped) or are refused; titles list as text."""

    def start_topic(line: str, title: str, body: str) -> int:
        response = client.post_form(f"/g/{group.slug}/new", {"title": title, "body": body, **CONFIRMED})
        soup = findings.page(line, response)
        if response.status_code != 302:
            findings.refused(line, response, soup, written=count(Topic) != findings.stored)
            return response.status_code
        topic_id = int(TOPIC_ID.match(response.location)[1])
        opening = db.session.scalar(select(Post.id).where(Post.topic_id == topic_id, Post.is_opening))
        findings.stored_as(line, title_and_body(opening), (as_title(title), as_body(body)))
        return response.status_code

    login_as(member)
    for line in corpus:
        if start_topic(line, line, line) != 302:
            start_topic(line, line, ORDINARY_BODY)
            start_topic(line, ORDINARY_TITLE, line)
    listing = findings.page("the group page", client.get(f"/g/{group.slug}"))
    listed = db.session.scalars(select(Topic.title).where(Topic.status == ContentStatus.VISIBLE)).all()
    if sorted(link.get_text() for link in listing.find_all("a", class_="topic-title")) != sorted(listed):
        findings.note("the group page", "does not show every published title as it was stored")
    findings.assert_clean()


def test_edited_title_and_body_are_stored_or_refused(client, login_as, member, group, corpus, findings):
    """A hostile title and body given in an edit are stored as typed (collapsed, stripped) or refused clearly."""

    def edit(line: str, post_id: int, title: str, body: str) -> int:
        before = title_and_body(post_id)
        response = client.post_form(f"/p/{post_id}/edit", {"title": title, "body": body, **CONFIRMED})
        soup = findings.page(line, response)
        after = title_and_body(post_id)
        if response.status_code != 302:
            findings.refused(line, response, soup, written=after != before)
            return response.status_code
        findings.stored_as(line, after, (as_title(title), as_body(body)))
        form = findings.page(line, client.get(f"/p/{post_id}/edit"))  # both, back in the form's fields
        if (field_text(form, "title"), field_text(form, "body")) != after:
            findings.note(line, f"the edit form holds {field_text(form, 'title')!r}, {field_text(form, 'body')!r}")
        return response.status_code

    post_ids = add_topics(group, member, len(corpus))
    login_as(member)
    for line, post_id in zip(corpus, post_ids, strict=True):
        if edit(line, post_id, line, line) != 302:
            edit(line, post_id, line, ORDINARY_BODY)
            edit(line, post_id, ORDINARY_TITLE, line)
    findings.page("the group page", client.get(f"/g/{group.slug}"))
    findings.assert_clean()


def test_reply_body_is_stored_stripped_or_refused(client, login_as, member, group, corpus, findings):
    """A hostile reply is stored stripped with LF line ends, or refused, and the topic page runs none of it."""
    topic = make_topic(group=group, author=member)
    login_as(member)
    for line in corpus:
        response = client.post_form(f"/t/{topic.id}/reply", {"body": line, **CONFIRMED})
        soup = findings.page(line, response)
        if response.status_code != 302:
            findings.refused(line, response, soup, written=count(Post) != 1 + findings.stored)
            continue
        stored = title_and_body(int(POST_ID.search(response.location)[1]))
        findings.stored_as(line, stored and stored[1], as_body(line))
    findings.page("the topic page with every reply", client.get(f"/t/{topic.id}/{topic.slug}"))
    findings.assert_clean()


# --- signing up and in --------------------------------------------------------------------------------------------


def registration(n: int, **changes: str) -> dict[str, str]:
    """A complete, valid sign-up form for newcomer number `n`, with `changes` applied."""
    form = {
        "email": f"newcomer{n}@example.org",
        "display_name": f"Newcomer {n}",
        "password": "plum kettle lantern",
        "accept_guidelines": "y",
        **changes,
    }
    return {**form, "password_confirm": form["password"]}


def password_matches(member: Member | None, password: str) -> bool:
    return member is not None and passwords.verify(member.password_hash, password)


@pytest.mark.parametrize("field", ["email", "display_name", "password"])
def test_sign_up_field_is_stored_or_refused(app, corpus, findings, field):
    """A hostile e-mail address, display name or password signs up as typed (normalised) or is refused clearly."""
    browser = app.test_client()
    for n, line in enumerate(corpus):
        form = registration(n, **{field: line})
        response = browser.post_form("/register", form)
        soup = findings.page(line, response)
        if response.status_code != 302:
            findings.refused(line, response, soup, written=count(Member) != findings.stored)
            continue
        newcomer = db.session.scalar(select(Member).where(Member.display_name_key == display_name_key(f"Newcomer {n}")))
        if field == "email":
            findings.stored_as(line, newcomer and newcomer.email, unicodedata.normalize("NFC", line.strip()).lower())
        elif field == "password":
            findings.stored_as(line, password_matches(newcomer, line), True)
        else:
            name = db.session.scalar(select(Member.display_name).where(Member.email == form["email"]))
            findings.stored_as(line, name, as_display_name(line))
            findings.page(line, browser.get(response.location))  # the welcome message names the member
            profile = browser.get(f"/u/{quote(name or '', safe='')}")
            heading = findings.page(line, profile).h1
            if profile.status_code != 200 or heading is None or name not in heading.get_text():
                findings.note(line, f"the profile page answered {profile.status_code} without the name")
        browser = app.test_client()  # the newcomer is signed in now; the next one needs a browser of their own
    # No corpus line is a valid e-mail address, so that field can only be refused.
    findings.assert_clean(something_stored=field != "email")


def test_sign_in_refuses_hostile_email_password_and_next_clearly(client, corpus, findings):
    """A hostile e-mail, password and ?next= never sign anyone in; the refusal shows none of them as markup."""
    for line in corpus:
        response = client.post_form("/login", {"email": line, "password": line}, query_string={"next": line})
        soup = findings.page(line, response)
        findings.refused(line, response, soup, written=count(LoginSession) != 0)
        for form in soup.find_all("form"):
            if not same_site(form.get("action", "")):
                findings.note(line, f"a form posts to {form.get('action')!r}")
    findings.assert_clean(something_stored=False)


# --- query parameters ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["group", "topic", "topic without slug"])
def test_page_parameter_is_a_page_or_not_found(client, member, group, corpus, findings, where):
    """A hostile ?page= shows a page or the 404 page (a slug-less topic link redirects on the site), nothing else."""
    topic = make_topic(group=group, author=member)
    url, expected = {
        "group": (f"/g/{group.slug}", {200, 404}),
        "topic": (f"/t/{topic.id}/{topic.slug}", {200, 404}),
        "topic without slug": (f"/t/{topic.id}", {301}),
    }[where]
    for line in corpus:
        response = client.get(url, query_string={"page": line})
        findings.page(line, response)
        if response.status_code not in expected:
            findings.note(line, f"answered {response.status_code}")
        elif response.status_code == 301 and not same_site(response.location):
            findings.note(line, f"redirected to {response.location!r}, not a path on this site")
    findings.assert_clean(something_stored=False)


def test_next_parameter_only_leads_within_the_site(client, login_as, member, corpus, findings):
    """A hostile ?next= on the sign-in page only ever redirects a signed-in member to a path on this site."""
    login_as(member)
    for line in corpus:
        response = client.get("/login", query_string={"next": line})
        findings.page(line, response)
        if response.status_code != 302:
            findings.note(line, f"answered {response.status_code}")
        elif not same_site(response.location):
            findings.note(line, f"redirected to {response.location!r}, not a path on this site")
    findings.assert_clean(something_stored=False)
