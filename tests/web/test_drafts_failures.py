"""In every failure the typed text comes back: over a rate limit (the form again, 429), a topic locked or the member
suspended in the meantime (403, the text shown and kept as a draft), a server error during the write (500, the same),
an expired form (400, the form again)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import text

from app.extensions import db
from app.models import Draft, MemberStatus, Post
from tests.factories import make_group, make_member, make_topic
from tests.support import browser, count_rows, page_text, refreshed, soup

WORDS = "It took me an hour to write this, about the first week after the diagnosis."
RATE_LIMITED = pytest.mark.parametrize(
    "app_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}], ids=["rate-limited"]
)


def _kept_body() -> str | None:
    return db.session.scalar(db.select(Draft.body))


def _reply_setup(app: Flask):  # noqa: ANN202
    me = make_member()
    topic = make_topic(group=make_group(members=(me,)))
    client = browser(app, me)
    client.get(f"/t/{topic.id}/{topic.slug}")  # the member opens the topic and starts writing
    return me, topic, client


@RATE_LIMITED
def test_a_rate_limited_reply_comes_back_in_the_form(app: Flask) -> None:
    """Over the limit: 429, the reply form with the text and when to try again, kept as a draft, nothing posted."""
    _me, topic, client = _reply_setup(app)
    for _ in range(10):
        client.post_form(f"/t/{topic.id}/reply", {"body": ""})
    response = client.post_form(f"/t/{topic.id}/reply", {"body": WORDS})
    assert response.status_code == 429
    assert soup(response).select_one("form textarea[name=body]").get_text().strip() == WORDS
    assert "You can try again in about 1 minute." in page_text(response)
    assert _kept_body() == WORDS
    assert count_rows(Post) == 1


@RATE_LIMITED
def test_a_rate_limited_new_topic_comes_back_in_the_form(app: Flask) -> None:
    """A new topic over the limit: the form again with its title and text, and nothing started."""
    me = make_member()
    group = make_group(members=(me,))
    client = browser(app, me)
    for _ in range(10):
        client.post_form(f"/g/{group.slug}/new", {"title": "", "body": ""})
    response = client.post_form(f"/g/{group.slug}/new", {"title": "The first week", "body": WORDS})
    assert response.status_code == 429
    assert soup(response).select_one("form input[name=title]")["value"] == "The first week"
    assert soup(response).select_one("form textarea[name=body]").get_text().strip() == WORDS
    assert count_rows(Post) == 0


def test_a_topic_locked_meanwhile_keeps_the_reply(app: Flask) -> None:
    """The topic was locked while the member wrote: the reply is refused with the reason, shown and kept."""
    _me, topic, client = _reply_setup(app)
    topic.locked = True
    db.session.commit()
    response = client.post_form(f"/t/{topic.id}/reply", {"body": WORDS})
    assert response.status_code == 403
    assert "What you wrote was not sent" in page_text(response)
    assert "we kept your text as a draft" in page_text(response)
    assert soup(response).select_one("textarea#kept-body").get_text().strip() == WORDS
    assert soup(response).find("a", string="Back to the form")["href"] == f"/t/{topic.id}/{topic.slug}#reply-heading"
    assert _kept_body() == WORDS
    assert count_rows(Post) == 1


def test_a_locked_topic_reply_is_listed_with_the_drafts(app: Flask) -> None:
    """The reply refused by the lock waits at /drafts for when the topic opens again."""
    _me, topic, client = _reply_setup(app)
    topic.locked = True
    db.session.commit()
    client.post_form(f"/t/{topic.id}/reply", {"body": WORDS})
    assert "It took me an hour to write this" in page_text(client.get("/drafts"))


def test_a_suspension_meanwhile_keeps_the_reply(app: Flask) -> None:
    """Suspended while writing: the reply is refused with a clear sentence, and the text is shown and kept."""
    me, topic, client = _reply_setup(app)
    me = refreshed(me)
    me.status, me.suspension_reason = MemberStatus.SUSPENDED, "Cooling off"
    db.session.commit()
    response = client.post_form(f"/t/{topic.id}/reply", {"body": WORDS})
    assert response.status_code == 403
    assert "suspended" in page_text(response)
    assert soup(response).select_one("textarea#kept-body").get_text().strip() == WORDS
    assert _kept_body() == WORDS


def test_a_suspension_meanwhile_keeps_a_new_topic(app: Flask) -> None:
    """A new topic refused by a suspension shows its title and text, and keeps them as a draft."""
    me = make_member()
    group = make_group(members=(me,))
    client = browser(app, me)
    me = refreshed(me)
    me.status, me.suspension_reason = MemberStatus.SUSPENDED, "Cooling off"
    db.session.commit()
    response = client.post_form(f"/g/{group.slug}/new", {"title": "The first week", "body": WORDS})
    assert response.status_code == 403
    assert soup(response).select_one("textarea#kept-title").get_text().strip() == "The first week"
    assert db.session.scalar(db.select(Draft.title)) == "The first week"


@pytest.fixture
def fail_new_posts(app: Flask):  # noqa: ANN201
    """Call it to make the database refuse every new post (a trigger), as a failing disk would mid-write."""
    if db.engine.dialect.name == "sqlite":
        install = ["CREATE TRIGGER posts_fail BEFORE INSERT ON posts BEGIN SELECT RAISE(ABORT, 'disk I/O'); END"]
        undo = ["DROP TRIGGER posts_fail"]
    else:
        install = [
            "CREATE FUNCTION posts_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk I/O'; END $$"
            " LANGUAGE plpgsql",
            "CREATE TRIGGER posts_fail BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION posts_fail()",
        ]
        undo = ["DROP TRIGGER posts_fail ON posts", "DROP FUNCTION posts_fail()"]
    installed = []

    def fail() -> None:
        for statement in install:
            db.session.execute(text(statement))
        db.session.commit()
        installed.append(True)

    yield fail
    db.session.rollback()
    for statement in undo if installed else []:
        db.session.execute(text(statement))
    db.session.commit()


@pytest.mark.server_error
@pytest.mark.parametrize("app_overrides", [{"PROPAGATE_EXCEPTIONS": False}], ids=["served"])
def test_a_server_error_during_the_write_keeps_the_reply(app: Flask, fail_new_posts: Callable[[], None]) -> None:
    """The write fails on our side: 500, the page says the text is kept, shows it, links back; no post stored."""
    _me, topic, client = _reply_setup(app)
    fail_new_posts()
    response = client.post_form(f"/t/{topic.id}/reply", {"body": WORDS})
    assert response.status_code == 500
    assert "Something went wrong on our side while saving it." in page_text(response)
    assert soup(response).select_one("textarea#kept-body").get_text().strip() == WORDS
    assert soup(response).find("a", string="Back to the form") is not None
    assert _kept_body() == WORDS
    assert count_rows(Post) == 1


def test_an_expired_form_brings_back_the_sent_text_not_the_old_draft(app: Flask) -> None:
    """With a draft saved earlier, a POST with an expired token shows the words just sent (400), not the draft."""
    _me, topic, client = _reply_setup(app)
    client.post_form(f"/drafts/save?place=reply-{topic.id}", {"body": "An older version"})
    response = client.post(f"/t/{topic.id}/reply", data={"body": WORDS, "csrf_token": "expired"})
    assert response.status_code == 400
    assert soup(response).select_one("form textarea[name=body]").get_text().strip() == WORDS
    assert count_rows(Post) == 1
