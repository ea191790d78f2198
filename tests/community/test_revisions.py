"""Edit history: every edit keeps a version, who may read the history, and the escaped diff between two versions."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, Member, ModeratorScope, Post, PostRevision, Role
from app.models.settings import Setting
from app.permissions.revisions import OPEN_HISTORY_SETTING
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import (
    CORPORA,
    as_body,
    browser,
    executable_markup,
    opening_post,
    page_text,
    read_corpus,
    soup,
    stored_state,
)


def edit(client, post: Post, body: str, **fields: str):  # noqa: ANN001, ANN201
    """Submit the edit form of `post`."""
    return client.post_form(f"/p/{post.id}/edit", {"body": body, **fields})


def versions(post: Post) -> list[tuple[int, str, str | None, str, int | None]]:
    """The post's kept versions as (number, Markdown, title, reason, editor id), oldest first."""
    db.session.expire_all()
    query = select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.number)
    return [(r.number, r.raw, r.title, r.reason, r.editor_id) for r in db.session.scalars(query)]


@pytest.fixture
def author() -> Member:
    return make_member(display_name="Ada Author")


@pytest.fixture
def reply(author: Member) -> Post:
    """The author's published reply in a group they joined."""
    topic = make_topic(group=make_group(members=(author,)))
    return make_post(topic=topic, author=author, body="I take my tablets at 8.")


# Keeping versions


def test_first_edit_keeps_the_original_and_the_new_text(app: Flask, author: Member, reply: Post) -> None:
    """The first edit stores version 1 (the original, by its author) and version 2 with the editor and reason."""
    edit(browser(app, author), reply, "I take my tablets at 9.", reason="Wrong time")
    assert versions(reply) == [
        (1, "I take my tablets at 8.", None, "", author.id),
        (2, "I take my tablets at 9.", None, "Wrong time", author.id),
    ]


def test_later_edits_add_one_version_each(app: Flask, author: Member, reply: Post) -> None:
    """A second edit adds version 3 only; the original is not stored twice."""
    client = browser(app, author)
    edit(client, reply, "Second wording.")
    edit(client, reply, "Third wording.")
    assert [(number, raw) for number, raw, *_ in versions(reply)] == [
        (1, "I take my tablets at 8."),
        (2, "Second wording."),
        (3, "Third wording."),
    ]


def test_an_unchanged_submission_keeps_no_version(app: Flask, author: Member, reply: Post) -> None:
    """Saving the same text again stores nothing in the history."""
    edit(browser(app, author), reply, "I take my tablets at 8.")
    assert versions(reply) == []


def test_a_title_edit_keeps_the_old_title(app: Flask, author: Member) -> None:
    """Changing only a topic's title keeps a version holding each title."""
    topic = make_topic(author=author, title="Old title here", body="An opening post long enough to keep.")
    post = opening_post(topic)
    edit(browser(app, author), post, post.raw, title="New title here")
    assert [(number, title) for number, _raw, title, *_ in versions(post)] == [
        (1, "Old title here"),
        (2, "New title here"),
    ]


def test_the_reason_is_optional_for_the_author(app: Flask, author: Member, reply: Post) -> None:
    """An author's edit without a reason is saved, with an empty reason."""
    response = edit(browser(app, author), reply, "Changed without a reason.")
    assert response.status_code == 302
    assert versions(reply)[-1][3] == ""


def test_an_overlong_reason_is_refused_and_nothing_is_stored(app: Flask, author: Member, reply: Post) -> None:
    """A reason over 1,000 characters is refused with a message; the post and its history are unchanged."""
    before = stored_state()
    response = edit(browser(app, author), reply, "Changed.", reason="x" * 1001)
    assert response.status_code == 422
    assert "Keep the reason under 1000 characters." in page_text(response)
    assert stored_state() == before and versions(reply) == []


# Who may read the history


def _reader(role: str, author: Member, post: Post) -> Member | None:
    """The member reading, by their place in the table below (None for a visitor)."""
    if role == "visitor":
        return None
    if role == "author":
        return author
    if role == "scoped elsewhere":
        moderator = make_member(role=Role.MODERATOR)
        db.session.add(ModeratorScope(member_id=moderator.id, group_id=make_group().id))
        db.session.commit()
        return moderator
    if role == "group moderator":
        moderator = make_member(role=Role.MODERATOR)
        db.session.add(ModeratorScope(member_id=moderator.id, group_id=post.topic.group_id))
        db.session.commit()
        return moderator
    return make_member(role={"member": Role.MEMBER, "mentor": Role.MENTOR, "staff": Role.STAFF}[role])


ALLOWED = {"author", "group moderator", "staff"}
STATUSES = [ContentStatus.VISIBLE, ContentStatus.PENDING, ContentStatus.HIDDEN]
HISTORY_TABLE = [
    (role, status, 200 if role in ALLOWED and (role != "author" or status != ContentStatus.HIDDEN) else 404)
    for role in ("visitor", "member", "mentor", "scoped elsewhere", "author", "group moderator", "staff")
    for status in STATUSES
]


@pytest.mark.parametrize(("role", "status", "expected"), HISTORY_TABLE)
def test_who_sees_the_history(
    app: Flask, author: Member, reply: Post, role: str, status: ContentStatus, expected: int
) -> None:
    """The author (while they may see the post), the group's moderators and staff read it; everyone else gets 404."""
    edit(browser(app, author), reply, "A new wording.")
    db.session.get(Post, reply.id).status = status
    db.session.commit()
    response = browser(app, _reader(role, author, reply)).get(f"/p/{reply.id}/revisions")
    assert response.status_code == expected


def _open_histories(value: str) -> None:
    db.session.add(Setting(key=OPEN_HISTORY_SETTING, value=value))
    db.session.commit()


@pytest.mark.parametrize(
    ("status", "expected"), [(ContentStatus.VISIBLE, 200), (ContentStatus.HIDDEN, 404), (ContentStatus.PENDING, 404)]
)
def test_the_setting_opens_published_histories_to_members(
    app: Flask, author: Member, reply: Post, status: ContentStatus, expected: int
) -> None:
    """With staff's setting on, any signed-in member reads a published post's history, never a hidden or held one."""
    edit(browser(app, author), reply, "A new wording.")
    db.session.get(Post, reply.id).status = status
    db.session.commit()
    _open_histories("1")
    assert browser(app, make_member()).get(f"/p/{reply.id}/revisions").status_code == expected


def test_the_setting_does_not_open_histories_to_visitors(app: Flask, author: Member, reply: Post) -> None:
    """Visitors still get 404 with the setting on."""
    edit(browser(app, author), reply, "A new wording.")
    _open_histories("1")
    assert browser(app).get(f"/p/{reply.id}/revisions").status_code == 404


def test_staff_turn_the_setting_on_from_the_settings_page(app: Flask, author: Member, reply: Post) -> None:
    """The moderation settings form stores the setting, and members then read the history."""
    edit(browser(app, author), reply, "A new wording.")
    staff = browser(app, make_member(role=Role.STAFF))
    page = soup(staff.get("/mod/settings"))
    assert page.select_one(f'input[type=checkbox][name="{OPEN_HISTORY_SETTING}"]') is not None
    form = {"hold_first_posts": "2", "trusted_after_posts": "2", "flags_to_hide": "3", OPEN_HISTORY_SETTING: "y"}
    assert staff.post_form("/mod/settings", form).status_code == 302
    assert browser(app, make_member()).get(f"/p/{reply.id}/revisions").status_code == 200


def test_the_edited_marker_links_to_the_history_for_those_who_may_read_it(
    app: Flask, author: Member, reply: Post
) -> None:
    """On the topic page, "edited" links to the history for the author, and is plain text for another member."""
    edit(browser(app, author), reply, "A new wording.")
    url = f"/t/{reply.topic_id}/{reply.topic.slug}"
    link = f'a[href="/p/{reply.id}/revisions"]'
    assert soup(browser(app, author).get(url)).select_one(link).get_text() == "edited"
    assert soup(browser(app, make_member()).get(url)).select_one(link) is None


# The page


def test_the_page_shows_the_change_between_the_last_two_versions(app: Flask, author: Member, reply: Post) -> None:
    """By default the diff shows the last change: the removed line and the added line."""
    edit(browser(app, author), reply, "I take my tablets at 9.", reason="Wrong time")
    page = soup(browser(app, author).get(f"/p/{reply.id}/revisions"))
    assert [d.get_text(" ", strip=True) for d in page.select(".diff del")] == ["removed: I take my tablets at 8."]
    assert [i.get_text(" ", strip=True) for i in page.select(".diff ins")] == ["added: I take my tablets at 9."]
    assert "Wrong time" in page.select_one("table.revisions").get_text()


def test_any_two_versions_can_be_compared(app: Flask, author: Member, reply: Post) -> None:
    """`?from=1&to=3` compares the original with the third version."""
    client = browser(app, author)
    edit(client, reply, "Second wording.")
    edit(client, reply, "Third wording.")
    page = soup(client.get(f"/p/{reply.id}/revisions?from=1&to=3"))
    assert page.select_one(".diff del").get_text(" ", strip=True) == "removed: I take my tablets at 8."
    assert page.select_one(".diff ins").get_text(" ", strip=True) == "added: Third wording."


@pytest.mark.parametrize("corpus", CORPORA)
def test_the_diff_escapes_hostile_text(app: Flask, author: Member, reply: Post, corpus: str) -> None:
    """Each hostile line, edited into a post, appears in the diff as text, and nothing in the page executes."""
    client = browser(app, author)
    problems, checked = [], 0
    for line in read_corpus(corpus):
        post = make_post(topic=reply.topic, author=author, body="An ordinary body.")
        if edit(client, post, line).status_code != 302:
            continue  # refused with a message (the posting tests check which)
        checked += 1
        page = soup(client.get(f"/p/{post.id}/revisions"))
        added = [i.get_text().removeprefix("added: ") for i in page.select(".diff ins")]
        if executable_markup(page) or added != as_body(line).splitlines():
            problems.append(line)
    assert problems == [] and checked > len(read_corpus(corpus)) // 2


@pytest.mark.parametrize("corpus", CORPORA)
def test_a_hostile_reason_is_stored_as_typed_or_refused(app: Flask, author: Member, reply: Post, corpus: str) -> None:
    """Each hostile line as a reason is kept as typed (stripped) and shown as text, or refused with a message."""
    client = browser(app, author)
    problems = []
    for line in read_corpus(corpus):
        post = make_post(topic=reply.topic, author=author, body="An ordinary body.")
        response = edit(client, post, "An edited body.", reason=line)
        if response.status_code == 422:
            if not soup(response).select(".form-problems"):
                problems.append((line, "refused without a message"))
            continue
        stored = versions(post)[-1][3]
        page = soup(client.get(f"/p/{post.id}/revisions"))
        shown = page.select_one("#v2 td[data-label=Reason]").get_text()
        if stored != line.replace("\r\n", "\n").strip() or shown != stored or executable_markup(page):
            problems.append((line, stored))
    assert problems == []
