"""Bookmarking topics and posts with one button, the /bookmarks list, and what it shows once a post is gone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from app.extensions import db
from app.models import ContentStatus, Post, Role, Topic
from app.services.community.posting import delete_post
from tests.bookmarks.conftest import Thread, bookmark_post, bookmarks_of
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser, page, soup

MAX_STATEMENTS = 8


def bookmark_buttons(client, topic: Topic) -> dict[str, str]:  # noqa: ANN001
    """Each bookmark form on the topic page: its action -> the button's text."""
    html = soup(client.get(f"/t/{topic.id}/{topic.slug}"))
    return {form["action"]: form.button.get_text(" ", strip=True) for form in html.select("form.bookmark-form")}


def test_topic_and_each_post_show_a_bookmark_button(app: Flask, thread: Thread) -> None:
    """A signed-in reader sees "Bookmark" on the topic and on each post, each a POST form carrying CSRF."""
    html = soup(thread.client.get(f"/t/{thread.topic.id}/{thread.topic.slug}"))
    forms = html.select("form.bookmark-form")
    actions = {form["action"] for form in forms}
    assert actions == {f"/t/{thread.topic.id}/bookmark", f"/p/{thread.reply.id}/bookmark"} | {
        f"/p/{post.id}/bookmark" for post in db.session.query(Post).filter_by(topic_id=thread.topic.id)
    }
    assert all(form["method"] == "post" and form.find("input", attrs={"name": "csrf_token"}) for form in forms)
    assert {form.button.get_text(strip=True) for form in forms} == {"Bookmark"}


def test_visitors_see_no_bookmark_button(app: Flask, thread: Thread) -> None:
    """Bookmarks belong to accounts: a visitor's topic page has no bookmark form."""
    assert "bookmark-form" not in page(browser(app).get(f"/t/{thread.topic.id}/{thread.topic.slug}"))


def test_bookmarking_a_post_shows_bookmarked_on_it(app: Flask, thread: Thread) -> None:
    """After pressing Bookmark on a reply, that reply's button reads "Bookmarked" and offers the note and reminder."""
    bookmark = bookmark_post(thread.client, thread.reply)
    buttons = bookmark_buttons(thread.client, thread.topic)
    assert buttons[f"/p/{thread.reply.id}/unbookmark"] == "Bookmarked (press to remove the bookmark)"
    assert buttons[f"/t/{thread.topic.id}/bookmark"] == "Bookmark"
    assert f'href="/bookmarks/{bookmark.id}"' in page(thread.client.get(f"/t/{thread.topic.id}/{thread.topic.slug}"))


def test_bookmarking_the_topic_marks_the_topic_only(app: Flask, thread: Thread) -> None:
    """Bookmarking the topic stores one topic bookmark (no post) and its button reads "Bookmarked"."""
    assert thread.client.post_form(f"/t/{thread.topic.id}/bookmark").status_code == 302
    [bookmark] = bookmarks_of(thread.reader)
    assert (bookmark.topic_id, bookmark.post_id) == (thread.topic.id, None)
    buttons = bookmark_buttons(thread.client, thread.topic)
    assert buttons[f"/t/{thread.topic.id}/unbookmark"].startswith("Bookmarked")
    assert buttons[f"/p/{thread.reply.id}/bookmark"] == "Bookmark"


@pytest.mark.parametrize("target", ["topic", "post"])
def test_bookmarking_twice_keeps_one_bookmark(app: Flask, thread: Thread, target: str) -> None:
    """Pressing Bookmark twice (a double click, a second tab) stores one bookmark."""
    url = f"/t/{thread.topic.id}/bookmark" if target == "topic" else f"/p/{thread.reply.id}/bookmark"
    assert [thread.client.post_form(url).status_code for _ in range(2)] == [302, 302]
    assert len(bookmarks_of(thread.reader)) == 1


@pytest.mark.parametrize("target", ["topic", "post"])
def test_pressing_bookmarked_removes_the_bookmark(app: Flask, thread: Thread, target: str) -> None:
    """Pressing "Bookmarked" removes the bookmark; pressing it again changes nothing and is no error."""
    base = f"/t/{thread.topic.id}" if target == "topic" else f"/p/{thread.reply.id}"
    thread.client.post_form(f"{base}/bookmark")
    assert [thread.client.post_form(f"{base}/unbookmark").status_code for _ in range(2)] == [302, 302]
    assert bookmarks_of(thread.reader) == []


def test_bookmark_without_csrf_token_is_refused(app: Flask, thread: Thread) -> None:
    """A bookmark POST without the CSRF token answers 400 and stores nothing."""
    assert thread.client.post(f"/p/{thread.reply.id}/bookmark").status_code == 400
    assert bookmarks_of(thread.reader) == []


def test_a_held_post_cannot_be_bookmarked(app: Flask, thread: Thread) -> None:
    """A post waiting for review (visible to its author) cannot be kept: 403, nothing stored."""
    held = make_post(topic=thread.topic, author=thread.reader, status=ContentStatus.PENDING)
    assert thread.client.post_form(f"/p/{held.id}/bookmark").status_code == 403
    assert bookmarks_of(thread.reader) == []


def test_a_post_the_reader_cannot_see_answers_404(app: Flask, thread: Thread) -> None:
    """Bookmarking someone else's hidden post answers 404, as if it did not exist, and stores nothing."""
    hidden = make_post(topic=thread.topic, status=ContentStatus.HIDDEN)
    assert thread.client.post_form(f"/p/{hidden.id}/bookmark").status_code == 404
    assert bookmarks_of(thread.reader) == []


def list_items(client) -> list[str]:  # noqa: ANN001
    """The title line of each bookmark on /bookmarks, in order."""
    return [" ".join(h.get_text().split()) for h in soup(client.get("/bookmarks")).select(".bookmark-item h2")]


def test_the_list_shows_bookmarks_newest_first(app: Flask, thread: Thread) -> None:
    """/bookmarks lists the member's topic and post bookmarks, the newest first, each named."""
    thread.client.post_form(f"/t/{thread.topic.id}/bookmark")
    bookmark_post(thread.client, thread.reply)
    author = thread.reply.author.display_name
    assert list_items(thread.client) == [f"Post by {author} in “Sleep after surgery”", "Sleep after surgery"]


def test_the_list_is_paginated(app: Flask, thread: Thread) -> None:
    """Past a page of bookmarks the list goes on to page 2, which holds the oldest."""
    per_page = app.config["TOPICS_PER_PAGE"]
    first = bookmark_post(thread.client, make_post(topic=thread.topic))
    for _ in range(per_page):
        bookmark_post(thread.client, make_post(topic=thread.topic))
    assert len(list_items(thread.client)) == per_page
    second_page = soup(thread.client.get("/bookmarks?page=2"))
    assert [item["id"] for item in second_page.select(".bookmark-item")] == [f"b{first.id}"]


@pytest.mark.parametrize("status", [ContentStatus.HIDDEN, ContentStatus.PENDING, ContentStatus.DELETED])
def test_a_post_no_longer_published_shows_no_longer_available(app: Flask, thread: Thread, status) -> None:  # noqa: ANN001
    """A bookmarked post later hidden, held again or deleted shows "No longer available", never its text or title."""
    bookmark_post(thread.client, thread.reply)
    thread.reply.status = status
    db.session.commit()
    response = thread.client.get("/bookmarks")
    assert list_items(thread.client) == ["No longer available"]
    assert "wedge pillow" not in page(response)
    assert "Sleep after surgery" not in page(response)


def test_a_hidden_topic_hides_its_bookmarked_posts_too(app: Flask, thread: Thread) -> None:
    """A post in a topic a moderator hid is no longer available either: its topic's title is not shown."""
    bookmark_post(thread.client, thread.reply)
    thread.topic.status = ContentStatus.HIDDEN
    db.session.commit()
    assert list_items(thread.client) == ["No longer available"]
    assert "Sleep after surgery" not in page(thread.client.get("/bookmarks"))


def test_a_moderator_sees_a_hidden_post_of_theirs_as_no_longer_available(app: Flask) -> None:
    """Even a moderator, who may still read a hidden post, sees their bookmark on it as no longer available."""
    moderator = make_member(role=Role.MODERATOR)
    post = make_post(topic=make_topic(title="Pain at night"), body="Secret words")
    client = browser(app, moderator)
    bookmark_post(client, post)
    post.status = ContentStatus.HIDDEN
    db.session.commit()
    assert list_items(client) == ["No longer available"]
    assert "Secret words" not in page(client.get("/bookmarks"))


def test_a_post_removed_for_good_takes_its_bookmarks_along(app: Flask, thread: Thread) -> None:
    """A held post its author deletes goes for good, and the bookmark on it goes too (the list still works)."""
    author = make_member()
    post = make_post(topic=thread.topic, author=author)
    bookmark_post(thread.client, post)
    post.status = ContentStatus.PENDING  # held again after an edit, then withdrawn by its author
    db.session.commit()
    assert delete_post(author, post) is True
    assert bookmarks_of(thread.reader) == []
    assert thread.client.get("/bookmarks").status_code == 200


def test_a_topic_removed_for_good_takes_its_bookmarks_along(app: Flask, thread: Thread) -> None:
    """A held topic whose author deletes it goes whole, with the bookmarks on it and on its posts."""
    author = make_member()
    topic = make_topic(group=make_group(members=(author, thread.reader)), author=author)
    thread.client.post_form(f"/t/{topic.id}/bookmark")
    opening = db.session.query(Post).filter_by(topic_id=topic.id).one()
    bookmark_post(thread.client, opening)
    topic.status = opening.status = ContentStatus.PENDING
    db.session.commit()
    assert delete_post(author, opening) is True
    assert bookmarks_of(thread.reader) == []


def test_removing_from_the_list(app: Flask, thread: Thread) -> None:
    """ "Remove" on the list deletes that bookmark and comes back to the list."""
    bookmark = bookmark_post(thread.client, thread.reply)
    response = thread.client.post_form(f"/bookmarks/{bookmark.id}/delete")
    assert response.location == "/bookmarks"
    assert bookmarks_of(thread.reader) == []


def list_statements(app: Flask, client, count_queries: Callable) -> int:  # noqa: ANN001
    """The SQL statements one GET of /bookmarks runs."""
    with app.app_context(), count_queries() as counter:
        assert client.get("/bookmarks").status_code == 200
    return len(counter)


def test_the_list_runs_fixed_statements(app: Flask, thread: Thread, count_queries: Callable) -> None:
    """/bookmarks runs the same few statements for 3 bookmarks (topics and posts) as for a full page of 20."""
    thread.client.post_form(f"/t/{thread.topic.id}/bookmark")
    for _ in range(2):
        bookmark_post(thread.client, make_post(topic=make_topic()))
    thread.client.get("/bookmarks")  # warm up
    few = list_statements(app, thread.client, count_queries)
    for _ in range(app.config["TOPICS_PER_PAGE"] - 3):
        bookmark_post(thread.client, make_post(topic=make_topic()))
    assert list_statements(app, thread.client, count_queries) == few
    assert few <= MAX_STATEMENTS


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_topic_page_statements_do_not_grow_with_bookmarks(app: Flask, count_queries: Callable, role: Role) -> None:
    """A reader's topic page runs as many statements with the topic and all 20 posts bookmarked as with none."""
    reader = make_member(role=role)
    client = browser(app, reader)
    client.get("/guidelines")  # warm up: first-request work after signing in stays out of the counts
    counts = []
    for bookmarked in (False, True):
        topic = make_topic(group=make_group(members=(reader,)))
        for _ in range(19):
            make_post(topic=topic)
        if bookmarked:
            client.post_form(f"/t/{topic.id}/bookmark")
            for post in db.session.query(Post).filter_by(topic_id=topic.id):
                client.post_form(f"/p/{post.id}/bookmark")
        url = f"/t/{topic.id}/{topic.slug}"
        with app.app_context(), count_queries() as counter:  # a request's own session, as in production
            response = client.get(url)
        counts.append(len(counter))
        assert page(response).count("Bookmarked") == (21 if bookmarked else 0)
    assert counts[0] == counts[1]
    assert counts[1] <= MAX_STATEMENTS
