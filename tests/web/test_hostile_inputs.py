"""Every text field against the shared hostile corpora (SECURITY.md #26): never a server error, nothing executable
in the page, and each value either stored faithfully or refused with a message saying what to change.

Each corpus line goes through the real form over HTTP; the lines of one field share a test, and the problems of all
lines are reported together at its end.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from bs4.exceptions import ParserRejectedMarkup
from flask import Flask, got_request_exception
from sqlalchemy import func, select

from app.extensions import db
from app.models import ContentStatus, LoginSession, Member, Post, Topic
from app.services.members import passwords
from app.text.rendering import cook
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_topic

# In CI the repository is cloned with a copy of shared/ beside it, as in the workspace.
DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data"
CORPORA = ("xss-payloads.txt", "hostile-inputs.txt")

FORBIDDEN_TAGS = ["script", "iframe", "object", "embed", "svg", "style", "math", "base", "frame", "frameset", "applet"]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcdoc"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)
URL_NOISE = "".join(map(chr, range(33)))  # browsers skip leading controls and spaces before a scheme
TOPIC_ID = re.compile(r"^/t/(\d+)(?:/|$)")
POST_ID = re.compile(r"#p(\d+)$")
ORDINARY_TITLE = "An ordinary title"
ORDINARY_BODY = "An ordinary body."


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


def as_display_name(text: str) -> str:
    """A display name as the identity rules store it: stripped, NFKC-normalised."""
    return unicodedata.normalize("NFKC", text.strip())


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
def findings(app: Flask):  # noqa: ANN201
    server_errors: list[BaseException] = []

    def record(sender: Flask, exception: BaseException, **extra: object) -> None:
        server_errors.append(exception)

    got_request_exception.connect(record, app)
    yield Findings(server_errors)
    got_request_exception.disconnect(record, app)


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
        response = client.post_form(f"/g/{group.slug}/new", {"title": title, "body": body})
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
        response = client.post_form(f"/p/{post_id}/edit", {"title": title, "body": body})
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
        response = client.post_form(f"/t/{topic.id}/reply", {"body": line})
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
        newcomer = db.session.scalar(select(Member).where(Member.display_name_key == f"newcomer {n}"))
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
