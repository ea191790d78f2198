"""Deleting an account with "remove my posts": only what the community saw leaves a placeholder; posts nobody but
moderators saw go with their review items and flags; every counter equals the real count afterwards."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, Flag, Member, Notification, Post, ReviewEvent, ReviewItem, ReviewKind, Role, Topic
from app.services.common.integrity import counter_mismatches
from app.services.members.erasure_posts import REMOVED_TITLE
from app.services.moderation.queue import open_review
from tests.factories import PASSWORD, make_group, make_member, make_post, make_topic
from tests.support import browser, counters_and_recounts, decide_on_page, open_item, page_text, topic_url

PLACEHOLDER = "Post removed by its author."


def _delete_with_posts(app: Flask, member: Member) -> None:
    response = browser(app, member).post_form("/account/delete", {"password": PASSWORD, "remove_posts": "y"})
    assert response.status_code == 302


def _pending(topic: Topic, author: Member, body: str) -> Post:
    """A reply held for review, with its open review item."""
    post = make_post(topic=topic, author=author, body=body, status=ContentStatus.PENDING)
    open_review(post, ReviewKind.HELD_POST, ["First posts are reviewed"])
    db.session.commit()
    return post


def _rejected(app: Flask, topic: Topic, author: Member, body: str) -> Post:
    """A published reply that a member flagged and a moderator then rejected (review item, flag, events, notice)."""
    post = make_post(topic=topic, author=author, body=body)
    flagger = browser(app, make_member())
    assert flagger.post_form(f"/p/{post.id}/flag", {"reason": "spam"}).status_code == 302
    moderator = browser(app, make_member(role=Role.MODERATOR))
    decide_on_page(moderator, open_item(post), "reject", note="Off topic.")
    assert db.session.get(Post, post.id).status == ContentStatus.REJECTED
    return post


def _assert_counters_clean(runner: FlaskCliRunner) -> None:
    stored, counted = counters_and_recounts()
    assert stored == counted
    assert counter_mismatches() == []
    result = runner.invoke(args=["check-counters"])
    assert result.exit_code == 0, result.output


def test_only_published_replies_leave_a_placeholder(app: Flask, runner: FlaskCliRunner) -> None:
    """One published, two rejected and one pending reply: visitors see one placeholder and the right reply count."""
    leaving, other = make_member(), make_member()
    topic = make_topic(group=make_group(members=(leaving, other)), author=other)
    make_post(topic=topic, author=other, body="Others' words stay")
    make_post(topic=topic, author=leaving, body="published-words")
    rejected = [_rejected(app, topic, leaving, f"rejected-words-{n}") for n in (1, 2)]
    gone = [_pending(topic, leaving, "pending-words").id, *(post.id for post in rejected)]
    url = topic_url(topic)
    _delete_with_posts(app, leaving)
    text = page_text(browser(app).get(url))
    assert text.count(PLACEHOLDER) == 1
    assert "1 reply" in text and "Others' words stay" in text and "words-" not in text
    db.session.rollback()
    assert db.session.scalars(select(Post.id).where(Post.id.in_(gone))).all() == []
    assert db.session.scalars(select(ReviewItem.id).where(ReviewItem.post_id.in_(gone))).all() == []
    assert db.session.scalars(select(Flag.id).where(Flag.post_id.in_(gone))).all() == []
    assert db.session.scalars(select(Notification.id).where(Notification.post_id.in_(gone))).all() == []
    assert (
        db.session.scalars(select(ReviewEvent.id).where(ReviewEvent.item_id.not_in(select(ReviewItem.id)))).all() == []
    )
    _assert_counters_clean(runner)


def test_the_queue_still_reads_after_held_posts_went(app: Flask) -> None:
    """The moderators' queue no longer lists a deleted member's held reply, and still renders."""
    leaving = make_member()
    topic = make_topic()
    _pending(topic, leaving, "pending-words")
    _delete_with_posts(app, leaving)
    response = browser(app, make_member(role=Role.MODERATOR)).get("/mod/queue")
    assert response.status_code == 200 and "pending-words" not in page_text(response)


def test_hidden_reply_stays_hidden_without_its_words(app: Flask, runner: FlaskCliRunner) -> None:
    """A reply a moderator hid is not turned into a public placeholder; its words are erased."""
    leaving = make_member()
    topic = make_topic()
    post = make_post(topic=topic, author=leaving, body="hidden-words")
    moderator = browser(app, make_member(role=Role.MODERATOR))
    assert moderator.post_form(f"/mod/posts/{post.id}/hide", {"reason": "Unkind"}).status_code in (200, 302)
    assert db.session.get(Post, post.id).status == ContentStatus.HIDDEN
    _delete_with_posts(app, leaving)
    db.session.rollback()
    hidden = db.session.get(Post, post.id)
    assert (hidden.status, hidden.raw) == (ContentStatus.HIDDEN, "")
    assert PLACEHOLDER not in page_text(browser(app).get(topic_url(topic)))
    _assert_counters_clean(runner)


def test_published_topic_with_replies_keeps_a_placeholder_opening(app: Flask, runner: FlaskCliRunner) -> None:
    """Their published topic that others answered stays, its opening post a placeholder and its title removed."""
    leaving, other = make_member(), make_member()
    topic = make_topic(author=leaving, title="topic-title-words", body="opening-words")
    make_post(topic=topic, author=other, body="An answer that stays")
    _delete_with_posts(app, leaving)
    text = page_text(browser(app).get(f"/t/{topic.id}", follow_redirects=True))
    assert REMOVED_TITLE in text and PLACEHOLDER in text and "An answer that stays" in text
    assert "opening-words" not in text and "topic-title-words" not in text
    _assert_counters_clean(runner)


def test_topic_that_was_only_pending_disappears(app: Flask, runner: FlaskCliRunner) -> None:
    """A topic of theirs still waiting for review goes whole: topic, opening post and review item."""
    leaving = make_member()
    topic = make_topic(author=leaving, status=ContentStatus.PENDING, body="pending-topic-words")
    opening = db.session.scalars(select(Post).where(Post.topic_id == topic.id)).one()
    open_review(opening, ReviewKind.HELD_POST, ["First posts are reviewed"])
    db.session.commit()
    topic_id, opening_id = topic.id, opening.id
    _delete_with_posts(app, leaving)
    db.session.rollback()
    assert db.session.get(Topic, topic_id) is None and db.session.get(Post, opening_id) is None
    assert db.session.scalars(select(ReviewItem).where(ReviewItem.post_id == opening_id)).all() == []
    assert browser(app, make_member(role=Role.MODERATOR)).get(f"/t/{topic_id}").status_code == 404
    _assert_counters_clean(runner)


def test_unanswered_published_topic_goes_from_the_group(app: Flask, runner: FlaskCliRunner) -> None:
    """Their published topic nobody answered leaves the group's list and counts, as deleting it would."""
    leaving = make_member()
    topic = make_topic(author=leaving, title="lonely-topic-words")
    _delete_with_posts(app, leaving)
    assert "lonely-topic-words" not in page_text(browser(app).get(f"/g/{topic.group.slug}"))
    assert browser(app).get(f"/t/{topic.id}").status_code == 404
    _assert_counters_clean(runner)
