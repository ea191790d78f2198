"""Erasing an old version's words for good, and moderators' edits of someone else's post (reason, log, notice)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import inspect, select, text

from app.extensions import db
from app.models import ContentStatus, Member, ModeratorScope, Post, PostRevision, ReviewKind, Role
from app.services.moderation.queue import open_review
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import (
    audit_events,
    browser,
    notifications_of,
    open_item,
    opening_post,
    page_text,
    soup,
    stored_state,
)

SECRET = "Zanzibarquux"  # a word found nowhere else, so finding it anywhere means a copy was left


def edit(client, post: Post, body: str, **fields: str):  # noqa: ANN001, ANN201
    return client.post_form(f"/p/{post.id}/edit", {"body": body, **fields})


def redact(client, post: Post, number: int, confirm: bool = True):  # noqa: ANN001, ANN201
    return client.post_form(f"/p/{post.id}/revisions/{number}/redact", {"confirm": "y"} if confirm else {})


def tables_holding(word: str) -> list[str]:
    """Every table with a row holding `word` in any column, text or binary (search index segments included)."""
    found = []
    with db.engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{name}"')):  # noqa: S608 - names from the schema
                cells = [c.decode("utf-8", "ignore") if isinstance(c, bytes) else str(c) for c in row]
                if any(word.lower() in cell.lower() for cell in cells):
                    found.append(name)
                    break
    return found


def revision(post: Post, number: int) -> PostRevision:
    db.session.expire_all()
    return db.session.scalar(select(PostRevision).where(PostRevision.post_id == post.id, PostRevision.number == number))


@pytest.fixture
def author() -> Member:
    return make_member(display_name="Ada Author")


@pytest.fixture
def reply(app: Flask, author: Member) -> Post:
    """The author's reply that named someone, edited since: version 1 holds the name, version 2 does not."""
    topic = make_topic(group=make_group(members=(author,)))
    post = make_post(topic=topic, author=author, body=f"My neighbour {SECRET} Smith drives me to the clinic.")
    assert edit(browser(app, author), post, "My neighbour drives me to the clinic.").status_code == 302
    return post


# Redaction


def test_a_redacted_version_leaves_no_copy_in_any_table(app: Flask, author: Member, reply: Post) -> None:
    """After the author erases version 1, its words are in no table at all (search index included)."""
    assert "post_revisions" in tables_holding(SECRET)  # the scan sees it while it is there
    assert redact(browser(app, author), reply, 1).status_code == 302
    assert tables_holding(SECRET) == []


def test_a_redacted_title_leaves_no_copy_in_any_table(app: Flask, author: Member) -> None:
    """An old title naming someone goes with its version, from every table."""
    topic = make_topic(author=author, title=f"Help from {SECRET}", body="An opening post long enough to keep.")
    post = opening_post(topic)
    client = browser(app, author)
    assert edit(client, post, post.raw, title="Help from a neighbour").status_code == 302
    assert redact(client, post, 1).status_code == 302
    assert tables_holding(SECRET) == []


def test_redacting_a_moderators_edited_version_scrubs_the_log(app: Flask, author: Member) -> None:
    """A held post a moderator edited before approval: the log's copy of the author's words goes with version 1."""
    group = make_group(members=(author,))
    post = make_post(topic=make_topic(group=group), author=author, body=f"Call {SECRET} on 0123 456.")
    post.status = ContentStatus.PENDING
    db.session.commit()
    open_review(post, ReviewKind.HELD_POST, ["first posts"])
    db.session.commit()
    moderator = browser(app, make_member(role=Role.MODERATOR))
    data = {"body": "Call your neighbour.", "note": "Removed a name"}
    assert moderator.post_form(f"/mod/items/{open_item(post).id}/edit", data).status_code == 302
    assert "audit_events" in tables_holding(SECRET)
    assert redact(browser(app, author), post, 1).status_code == 302
    assert tables_holding(SECRET) == []
    assert audit_events()[-2].after == {"status": "visible", "raw": "Call your neighbour."}


def test_the_redacted_version_keeps_its_row_and_says_who_and_when(app: Flask, author: Member, reply: Post) -> None:
    """The row stays with its number, marked redacted by the author; the history page says it was erased."""
    client = browser(app, author)
    redact(client, reply, 1)
    kept = revision(reply, 1)
    assert (kept.raw, kept.redacted_by_id, kept.redacted_at is not None) == ("", author.id, True)
    assert "Erased" in soup(client.get(f"/p/{reply.id}/revisions")).select_one("#v1").get_text()


def test_the_redaction_is_logged(app: Flask, author: Member, reply: Post) -> None:
    """One audit event names the author, the post and the version number, and holds no text."""
    redact(browser(app, author), reply, 1)
    event = audit_events()[-1]
    assert (event.action, event.actor_id, event.target_id, event.after) == (
        "redact_revision",
        author.id,
        reply.id,
        {"revision": 1},
    )


def test_redaction_needs_the_confirmation(app: Flask, author: Member, reply: Post) -> None:
    """Without the box ticked the form comes back with a message and the version keeps its text."""
    response = redact(browser(app, author), reply, 1, confirm=False)
    assert response.status_code == 422
    assert "Tick the box to confirm" in page_text(response)
    assert SECRET in revision(reply, 1).raw


def test_redaction_without_csrf_is_refused(app: Flask, author: Member, reply: Post) -> None:
    """A POST without its CSRF token answers 400 and erases nothing."""
    response = browser(app, author).post(f"/p/{reply.id}/revisions/1/redact", data={"confirm": "y"})
    assert response.status_code == 400
    assert SECRET in revision(reply, 1).raw


def test_the_current_version_cannot_be_redacted(app: Flask, author: Member, reply: Post) -> None:
    """The latest version is the post itself: 403, it is changed by editing."""
    assert redact(browser(app, author), reply, 2).status_code == 403
    assert revision(reply, 2).redacted_at is None


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF])
def test_only_the_author_redacts(app: Flask, reply: Post, role: Role) -> None:
    """Moderators and staff, who read the history, may not erase from it: 403, and the text stays."""
    client = browser(app, make_member(role=role))
    assert client.get(f"/p/{reply.id}/revisions/1/redact").status_code == 403
    assert redact(client, reply, 1).status_code == 403
    assert SECRET in revision(reply, 1).raw


# A moderator's edit of someone else's post


@pytest.fixture
def moderator(reply: Post) -> Member:
    """A moderator of the reply's group."""
    member = make_member(role=Role.MODERATOR, display_name="Mo Moderator")
    db.session.add(ModeratorScope(member_id=member.id, group_id=reply.topic.group_id))
    db.session.commit()
    return member


def test_a_moderators_edit_without_a_reason_stores_nothing(app: Flask, reply: Post, moderator: Member) -> None:
    """No reason: the form says why one is needed, and no post, version, log entry or notice is written."""
    before, events = stored_state(), len(audit_events())
    response = edit(browser(app, moderator), reply, "Rewritten by a moderator.")
    assert response.status_code == 422
    assert "Please say why you are editing this post" in page_text(response)
    assert stored_state() == before and len(audit_events()) == events and revision(reply, 3) is None
    assert notifications_of(reply.author, "post_edited") == []


def test_a_moderators_edit_is_logged_with_its_reason(app: Flask, reply: Post, moderator: Member) -> None:
    """The edit is saved as a version by the moderator and logged with the reason."""
    assert edit(browser(app, moderator), reply, "Rewritten.", reason="Removed a phone number").status_code == 302
    event = audit_events()[-1]
    assert (event.action, event.actor_id, event.reason, event.after) == (
        "edit_post",
        moderator.id,
        "Removed a phone number",
        {"revision": 3},
    )
    assert (revision(reply, 3).editor_id, revision(reply, 3).reason) == (moderator.id, "Removed a phone number")


def test_the_author_is_told_of_a_moderators_edit(app: Flask, author: Member, reply: Post, moderator: Member) -> None:
    """The author gets a notification with the reason, linking to the history."""
    edit(browser(app, moderator), reply, "Rewritten.", reason="Removed a phone number")
    (notice,) = notifications_of(author, "post_edited")
    assert "Removed a phone number" in notice.message
    assert notice.link == f"/p/{reply.id}/revisions"


def test_a_moderator_of_another_group_cannot_edit(app: Flask, reply: Post) -> None:
    """A moderator limited to another group gets 403, and nothing changes."""
    other = make_member(role=Role.MODERATOR)
    db.session.add(ModeratorScope(member_id=other.id, group_id=make_group().id))
    db.session.commit()
    before = stored_state()
    assert edit(browser(app, other), reply, "Rewritten.", reason="Tidying").status_code == 403
    assert stored_state() == before


def test_a_moderator_cannot_edit_a_staff_members_post(app: Flask) -> None:
    """Nobody rewrites their betters: a moderator editing staff's post gets 403."""
    post = make_post(author=make_member(role=Role.STAFF))
    client = browser(app, make_member(role=Role.MODERATOR))
    assert edit(client, post, "Rewritten.", reason="Tidying").status_code == 403
