"""The index follows every kind of write, whatever code makes it: create, edit, delete, hide, restore, move,
approve and reject each show in the next search. And migration 0002 builds, back-fills and removes the index."""

from __future__ import annotations

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import delete, inspect, text

from app.extensions import db
from app.models import Member, Post, ReviewItem, Role
from app.services.community.groups import join_group
from app.services.search.index import FTS_TABLE, PG_TABLE
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_post, make_topic
from tests.ops import test_migrations
from tests.support import browser, found, newest_post, opening_post, post_reply, post_topic


@pytest.fixture
def author(app: Flask) -> Member:
    return make_member(display_name="Ann Author")


@pytest.fixture
def home(author: Member):  # noqa: ANN201
    return make_group(slug="home", members=(author,))


@pytest.fixture
def writer(app: Flask, author: Member) -> FormClient:
    """The author's browser."""
    return browser(app, author)


@pytest.fixture
def moderator(app: Flask) -> FormClient:
    """A moderator's browser."""
    return browser(app, make_member(role=Role.MODERATOR))


@pytest.fixture
def visitor(app: Flask) -> FormClient:
    return browser(app)


def test_new_topic_is_found_by_title_and_body(writer: FormClient, visitor: FormClient, home) -> None:  # noqa: ANN001
    """A topic posted through the form is found by a word of its title and a word of its body."""
    post_topic(writer, home, title="Kumquat season", body="Marmalade plans.")
    opening = newest_post().id
    assert (found(visitor, "kumquat"), found(visitor, "marmalade")) == ({opening}, {opening})


def test_new_reply_is_found(writer: FormClient, visitor: FormClient, home) -> None:  # noqa: ANN001
    """A reply posted through the form is found at once."""
    post_reply(writer, make_topic(group=home), body="Zebrafinch sightings")
    assert found(visitor, "zebrafinch") == {newest_post().id}


def test_edit_replaces_the_words(writer: FormClient, visitor: FormClient, home, author: Member) -> None:  # noqa: ANN001
    """After an edit the new words are found and the old ones no longer are."""
    reply = make_post(topic=make_topic(group=home), author=author, body="Alpha words")
    writer.post_form(f"/p/{reply.id}/edit", {"body": "Omega words"})
    assert (found(visitor, "alpha"), found(visitor, "omega")) == (set(), {reply.id})


def test_title_edit_is_found(writer: FormClient, visitor: FormClient, home, author: Member) -> None:  # noqa: ANN001
    """Editing an opening post's title re-indexes the topic under its new title."""
    opening = opening_post(make_topic(group=home, author=author, title="Old heading", body="The opening words"))
    writer.post_form(f"/p/{opening.id}/edit", {"title": "Fresh heading", "body": "The opening words"})
    assert (found(visitor, "old"), found(visitor, "fresh")) == (set(), {opening.id})


def test_author_delete_removes_the_post(writer: FormClient, visitor: FormClient, home, author: Member) -> None:  # noqa: ANN001
    """A post its author deleted is no longer found."""
    reply = make_post(topic=make_topic(group=home), author=author, body="Regrettable words")
    writer.post_form(f"/p/{reply.id}/delete")
    assert found(visitor, "regrettable") == set()


def test_moderator_hide_removes_the_post(moderator: FormClient, visitor: FormClient, home) -> None:  # noqa: ANN001
    """A post a moderator hid is no longer found."""
    reply = make_post(topic=make_topic(group=home), body="Unkind words")
    moderator.post_form(f"/mod/posts/{reply.id}/hide", {"reason": "Unkind"})
    assert found(visitor, "unkind") == set()


def test_moderator_restore_brings_the_post_back(moderator: FormClient, visitor: FormClient, home) -> None:  # noqa: ANN001
    """A hidden post restored by a moderator is found again."""
    reply = make_post(topic=make_topic(group=home), body="Misjudged words")
    moderator.post_form(f"/mod/posts/{reply.id}/hide", {"reason": "Looked unkind"})
    moderator.post_form(f"/mod/posts/{reply.id}/restore", {"reason": "It was fine"})
    assert found(visitor, "misjudged") == {reply.id}


def test_hidden_topic_hides_all_its_posts(moderator: FormClient, visitor: FormClient, home) -> None:  # noqa: ANN001
    """Hiding a topic takes its published replies out of search too."""
    topic = make_topic(group=home, body="Walrus opening")
    make_post(topic=topic, body="Walrus reply")
    moderator.post_form(f"/mod/topics/{topic.id}/hide", {"reason": "Off topic"})
    assert found(visitor, "walrus") == set()


def test_moved_topic_is_found_in_its_new_group(moderator: FormClient, visitor: FormClient, home) -> None:  # noqa: ANN001
    """After a move the group filter finds the topic's posts in the new group, not the old one."""
    other = make_group(slug="other")
    reply = make_post(topic=make_topic(group=home, body="Nothing"), body="Wandering words")
    moderator.post_form(f"/mod/topics/{reply.topic_id}/move", {"group": str(other.id), "reason": "Fits better"})
    assert (found(visitor, "wandering", group="home"), found(visitor, "wandering", group="other")) == (
        set(),
        {reply.id},
    )


@pytest.fixture
def held_reply(app: Flask, home) -> tuple[Post, ReviewItem]:  # noqa: ANN001
    """A newcomer's first reply, held for review through the real form."""
    newcomer = make_member(display_name="Nia New", approved_posts=0)
    join_group(newcomer, home)
    post_reply(browser(app, newcomer), make_topic(group=home), body="Heldback words")
    post = newest_post()
    return post, db.session.query(ReviewItem).filter_by(post_id=post.id).one()


def test_held_post_is_not_found(visitor: FormClient, held_reply: tuple[Post, ReviewItem]) -> None:
    """A post waiting for review is not in search."""
    assert found(visitor, "heldback") == set()


def test_approved_post_is_found(moderator: FormClient, visitor: FormClient, held_reply: tuple) -> None:
    """Once a moderator approves a held post, search finds it."""
    post, item = held_reply
    moderator.post_form(f"/mod/items/{item.id}/decide", {"action": "approve"})
    assert found(visitor, "heldback") == {post.id}


def test_rejected_post_is_not_found(moderator: FormClient, visitor: FormClient, held_reply: tuple) -> None:
    """A held post a moderator rejects never reaches search."""
    post, item = held_reply
    moderator.post_form(f"/mod/items/{item.id}/decide", {"action": "reject", "note": "Please rephrase"})
    assert db.session.get(Post, post.id).status.value == "rejected"
    assert found(visitor, "heldback") == set()


def index_ids() -> set[int]:
    """The post ids the index holds, read from the index table itself."""
    if db.engine.dialect.name == "postgresql":
        return set(db.session.scalars(text(f"SELECT post_id FROM {PG_TABLE}")))  # noqa: S608 - constant names
    return set(db.session.scalars(text(f"SELECT rowid FROM {FTS_TABLE}")))  # noqa: S608


def test_deleted_rows_leave_the_index(app: Flask) -> None:
    """Deleting post rows outright (as a member-data purge would) removes their index documents."""
    topic = make_topic(body="Kept words")
    gone = make_post(topic=topic, body="Purged words")
    db.session.execute(delete(Post).where(Post.id == gone.id))
    db.session.commit()
    assert index_ids() == {opening_post(topic).id}


def test_writes_outside_the_services_are_indexed(app: Flask, visitor: FormClient) -> None:
    """The database keeps the index, so even a raw UPDATE of a body or a title is searchable at once."""
    topic = make_topic(title="Plain title", body="Plain body")
    db.session.execute(text("UPDATE posts SET raw = 'Quokka body' WHERE topic_id = :id"), {"id": topic.id})
    db.session.execute(text("UPDATE topics SET title = 'Quokka title' WHERE id = :id"), {"id": topic.id})
    db.session.commit()
    assert found(visitor, "quokka") == {opening_post(topic).id}


# Migration 0002, on an empty database per backend (the fixtures of test_migrations).
empty_database_url = test_migrations.empty_database_url
throwaway_postgres_url = test_migrations.throwaway_postgres_url
migrations_app = test_migrations.migrations_app


def search_objects() -> set[str]:
    """The search tables present in the database."""
    return {name for name in inspect(db.engine).get_table_names() if name in (FTS_TABLE, PG_TABLE)}


LEGACY_ROWS = [
    "INSERT INTO groups (id, name, slug, description, position, archived, review_all_posts, created_at, topic_count, "
    "post_count, member_count) VALUES (1, 'G', 'g', '', 0, false, false, CURRENT_TIMESTAMP, 1, 1, 0)",
    "INSERT INTO topics (id, group_id, title, slug, created_at, last_activity_at, reply_count, pinned, locked, status) "
    "VALUES (1, 1, 'Legacy title', 'legacy', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, false, false, 'visible')",
    "INSERT INTO posts (id, topic_id, is_opening, raw, cooked, status, created_at, resubmitted) "
    "VALUES (1, 1, true, 'Old words', '<p>Old words</p>', 'visible', CURRENT_TIMESTAMP, false)",
]


def insert_legacy_rows() -> None:
    """A group, topic and post written with the columns of revision 0001."""
    with db.engine.begin() as connection:
        for statement in LEGACY_ROWS:
            connection.execute(text(statement))


def test_migration_backfills_existing_posts(migrations_app: Flask) -> None:
    """Upgrading a database that already has posts indexes them."""
    flask_migrate.upgrade(revision="0001")
    insert_legacy_rows()
    flask_migrate.upgrade(revision="0002")
    assert index_ids() == {1}


def test_migration_downgrade_removes_the_index(migrations_app: Flask) -> None:
    """Downgrading 0002 drops the search tables and their triggers: posts can still be written afterwards."""
    flask_migrate.upgrade(revision="0002")
    assert search_objects()
    flask_migrate.downgrade(revision="0001")
    assert search_objects() == set()
    insert_legacy_rows()
