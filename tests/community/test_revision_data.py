"""Edit history beyond its page: only the current text is searched and syndicated; versions are exported with the
author's data and erased with their posts; the page runs a fixed number of statements and is valid HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Member, ModeratorScope, Post, PostRevision, Role
from app.models.settings import Setting
from app.permissions.revisions import OPEN_HISTORY_SETTING
from app.services.community.posting import edit_post
from tests.factories import PASSWORD, make_group, make_member, make_post, make_topic
from tests.members.test_export import _download
from tests.support import browser, found, opening_post
from tests.web.test_query_counts import MAX_STATEMENTS, statements_for
from tests.web.test_valid_html import checker_errors, vnu  # noqa: F401 - vnu is a fixture

OLD, NEW = "Pomegranate juice helped me.", "Beetroot juice helped me."


def edit(client, post: Post, body: str, **fields: str):  # noqa: ANN001, ANN201
    return client.post_form(f"/p/{post.id}/edit", {"body": body, **fields})


def kept_versions(post_id: int) -> list[tuple[int, str]]:
    db.session.expire_all()
    query = select(PostRevision.number, PostRevision.raw).where(PostRevision.post_id == post_id)
    return [tuple(row) for row in db.session.execute(query.order_by(PostRevision.number))]


@pytest.fixture
def author() -> Member:
    return make_member(display_name="Ada Author")


@pytest.fixture
def reply(app: Flask, author: Member) -> Post:
    """The author's published reply, edited once from OLD to NEW with a reason."""
    topic = make_topic(group=make_group(members=(author,)))
    post = make_post(topic=topic, author=author, body=OLD)
    assert edit(browser(app, author), post, NEW, reason="Wrong juice").status_code == 302
    return post


# Only the current text


def test_search_finds_the_current_wording_only(app: Flask, reply: Post) -> None:
    """After the edit, the new wording is found and the old one is not."""
    client = browser(app)
    assert found(client, "beetroot") == {reply.id}
    assert found(client, "pomegranate") == set()


def test_the_topic_feed_carries_the_current_wording_only(app: Flask, reply: Post) -> None:
    """The topic's Atom feed holds the new text, never the old."""
    feed = feedparser.parse(browser(app).get(f"/feeds/t/{reply.topic_id}.atom").get_data())
    contents = " ".join(entry.content[0].value for entry in feed.entries)
    assert "Beetroot" in contents and "Pomegranate" not in contents


# Export and erasure


def test_versions_are_exported_with_the_authors_data(app: Flask, author: Member, reply: Post) -> None:
    """The export lists each version of their posts with its text, reason and who edited it."""
    data, _ = _download(browser(app, author))
    rows = [(r["post_id"], r["number"], r["raw"], r["reason"], r["edited_by_author"]) for r in data["post_revisions"]]
    assert rows == [(reply.id, 1, OLD, "", True), (reply.id, 2, NEW, "Wrong juice", True)]


def test_another_members_export_holds_no_versions_of_this_post(app: Flask, reply: Post) -> None:
    """A moderator who edited the post does not get its versions in their own export."""
    moderator = make_member(role=Role.MODERATOR)
    assert edit(browser(app, moderator), reply, "Tidied.", reason="Tidying").status_code == 302
    data, _ = _download(browser(app, moderator))
    assert data["post_revisions"] == []


def test_deleting_the_account_with_its_posts_erases_the_versions(app: Flask, author: Member, reply: Post) -> None:
    """ "Remove my posts" takes every kept version with it."""
    client = browser(app, author)
    assert client.post_form("/account/delete", {"password": PASSWORD, "remove_posts": "y"}).status_code == 302
    assert kept_versions(reply.id) == []


def test_deleting_the_account_keeping_posts_keeps_the_versions_unsigned(
    app: Flask, author: Member, reply: Post
) -> None:
    """Without "remove my posts" the posts stay, and so do their versions, no longer linked to the account."""
    assert browser(app, author).post_form("/account/delete", {"password": PASSWORD}).status_code == 302
    assert kept_versions(reply.id) == [(1, OLD), (2, NEW)]
    editors = db.session.scalars(select(PostRevision.editor_id).where(PostRevision.post_id == reply.id)).all()
    assert editors == [None, None]


# The page


@pytest.fixture(params=["author", "group moderator"])
def reader(request: pytest.FixtureRequest, client, login_as, author: Member, reply: Post) -> Member:  # noqa: ANN001
    """Who reads the history, signed in on the test client."""
    member = author
    if request.param == "group moderator":
        member = make_member(role=Role.MODERATOR)
        db.session.add(ModeratorScope(member_id=member.id, group_id=reply.topic.group_id))
        db.session.commit()
    login_as(member)
    client.get("/guidelines")  # warm up, as the other query-count tests do
    return member


def test_the_history_page_runs_fixed_statements(
    app: Flask,
    client,
    count_queries: Callable,
    author: Member,
    reply: Post,
    reader: Member,  # noqa: ANN001
) -> None:
    """The history of a post with 2 versions costs the same statements as one with 20."""
    counts = []
    for edits in (1, 19):
        post = make_post(topic=make_topic(group=reply.topic.group), author=author, body="Version 1")
        writer = browser(app, author)
        for n in range(edits):
            assert edit(writer, post, f"Version {n + 2}", reason=f"Edit {n + 1}").status_code == 302
        counts.append(statements_for(client, count_queries, f"/p/{post.id}/revisions", '<tr id="v', edits + 1))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


def test_a_topic_of_edited_posts_runs_fixed_statements(
    app: Flask,
    client,
    count_queries: Callable,
    login_as,  # noqa: ANN001
) -> None:
    """With histories open to members, a topic whose every post was edited costs the same for 3 posts as for 25."""
    db.session.add(Setting(key=OPEN_HISTORY_SETTING, value="1"))
    db.session.commit()
    reader = make_member()
    login_as(reader)
    client.get("/guidelines")
    counts = []
    for size in (3, 25):
        topic = make_topic(group=make_group(members=(reader,)))
        writer = make_member()
        for _ in range(size - 1):
            edit_post(writer, make_post(topic=topic, author=writer), "Edited since.")
        rows = min(size, app.config["POSTS_PER_PAGE"])
        counts.append(statements_for(client, count_queries, f"/t/{topic.id}/{topic.slug}", '<li class="post', rows))
    small, large = counts
    assert large == small
    assert large <= MAX_STATEMENTS


def test_the_history_pages_are_valid_html(app: Flask, author: Member, tmp_path: Path, vnu: list[str]) -> None:  # noqa: F811
    """The history (with a title change), the erase form and a moderator's edit form refused for want of a reason."""
    topic = make_topic(author=author, title="Old title here", body="An opening post long enough to keep.")
    post = opening_post(topic)
    client = browser(app, author)
    edit(client, post, "An opening post, long enough, edited.", title="New title here")
    moderator = browser(app, make_member(role=Role.MODERATOR))
    pages = [
        client.get(f"/p/{post.id}/revisions").get_data(as_text=True),
        client.get(f"/p/{post.id}/revisions/1/redact").get_data(as_text=True),
        client.post_form(f"/p/{post.id}/revisions/1/redact").get_data(as_text=True),
        edit(moderator, post, "Rewritten by a moderator, long enough.").get_data(as_text=True),
    ]
    files = []
    for number, html in enumerate(pages):
        files.append(tmp_path / f"page{number}.html")
        files[-1].write_text(html, encoding="utf-8")
    assert checker_errors(vnu, files) == []
