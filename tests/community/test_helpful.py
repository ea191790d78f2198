"""Helpful marks (once, undo, never one's own), their counts on posts and profiles, "most helpful first", and the
one reply per topic that staff or a mentor recommend."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import ContentStatus, HelpfulMark, Post, Role
from tests.factories import make_group, make_member, make_post, make_topic, member_for
from tests.support import browser, page_text, post_bodies, refreshed, soup, topic_url


def marks() -> list[tuple[int, int]]:
    return [tuple(row) for row in db.session.execute(select(HelpfulMark.post_id, HelpfulMark.member_id))]


@pytest.fixture
def reply() -> Post:
    """A published reply by its own author, in a topic started by someone else."""
    return make_post(body="Try a warm bath before bed.")


def test_marking_a_reply_stores_one_mark_and_counts_it(app: Flask, reply: Post) -> None:
    """A member's mark is stored, and the reply and its author each count one more."""
    reader = make_member()
    response = browser(app, reader).post_form(f"/p/{reply.id}/helpful")
    assert response.status_code == 302
    assert marks() == [(reply.id, reader.id)]
    assert refreshed(reply).helpful_count == 1
    assert refreshed(reply.author).helpful_received == 1


def test_marking_twice_is_refused_with_a_message_and_stores_nothing(app: Flask, reply: Post) -> None:
    """A second mark by the same member says it was already given; the counts stay at one."""
    client = browser(app, make_member())
    client.post_form(f"/p/{reply.id}/helpful")
    response = client.post_form(f"/p/{reply.id}/helpful", follow_redirects=True)
    assert "You already marked this reply as helpful." in page_text(response)
    assert len(marks()) == 1
    assert refreshed(reply).helpful_count == 1


def test_marking_ones_own_reply_is_refused_with_a_message(app: Flask, reply: Post) -> None:
    """An author cannot mark their own reply: 403 saying so, and nothing is stored or counted."""
    response = browser(app, reply.author).post_form(f"/p/{reply.id}/helpful")
    assert response.status_code == 403
    assert "You cannot mark your own post as helpful." in page_text(response)
    assert marks() == []
    assert refreshed(reply).helpful_count == 0


def test_undo_removes_the_mark_and_the_counts(app: Flask, reply: Post) -> None:
    """Undo takes the member's mark back, and the reply and its author count one fewer."""
    client = browser(app, make_member())
    client.post_form(f"/p/{reply.id}/helpful")
    assert client.post_form(f"/p/{reply.id}/helpful/undo").status_code == 302
    assert marks() == []
    assert (refreshed(reply).helpful_count, refreshed(reply.author).helpful_received) == (0, 0)


def test_undo_without_a_mark_is_refused_with_a_message(app: Flask, reply: Post) -> None:
    """Undoing a mark never given says so and changes no count."""
    response = browser(app, make_member()).post_form(f"/p/{reply.id}/helpful/undo", follow_redirects=True)
    assert "You have not marked this reply as helpful" in page_text(response)
    assert refreshed(reply).helpful_count == 0


@pytest.mark.parametrize(
    ("case", "status"),
    [("opening post", 403), ("pending reply", 404), ("hidden reply", 404), ("deleted reply", 403)],
)
def test_only_published_replies_can_be_marked(app: Flask, case: str, status: int) -> None:
    """Opening posts and unpublished replies take no marks (unseen ones answer 404, like missing ones)."""
    topic = make_topic()
    statuses = {"pending reply": ContentStatus.PENDING, "hidden reply": ContentStatus.HIDDEN}
    statuses["deleted reply"] = ContentStatus.DELETED
    target = (
        db.session.scalar(select(Post).where(Post.topic_id == topic.id))
        if case == "opening post"
        else make_post(topic=topic, status=statuses[case])
    )
    assert browser(app, make_member()).post_form(f"/p/{target.id}/helpful").status_code == status
    assert marks() == []


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("visitor", False), ("suspended", False), ("member", True), ("mentor", True), ("moderator", True),
     ("staff", True), ("admin", True)],
)  # fmt: skip
def test_who_may_mark_a_reply_helpful(app: Flask, reply: Post, role: str, allowed: bool) -> None:
    """Signed-in members who are not suspended may mark; visitors are sent to sign in, suspended members refused."""
    response = browser(app, member_for(role)).post_form(f"/p/{reply.id}/helpful")
    assert len(marks()) == int(allowed)
    if not allowed:
        assert response.status_code in (302, 403) and marks() == []
        assert role != "visitor" or "/login" in response.location


def test_counts_show_on_the_reply_and_on_the_profile(app: Flask, reply: Post) -> None:
    """The topic shows "2 members found this helpful"; the author's profile "marked helpful 2 times"."""
    for _ in range(2):
        browser(app, make_member()).post_form(f"/p/{reply.id}/helpful")
    reader = browser(app)
    assert "2 members found this helpful" in page_text(reader.get(topic_url(reply.topic)))
    assert "marked helpful 2 times" in page_text(reader.get(f"/u/{reply.author.display_name}"))


def test_the_readers_own_mark_shows_as_undo(app: Flask, reply: Post) -> None:
    """A reader who marked a reply sees an undo button for it instead of the mark button."""
    client = browser(app, make_member())
    client.post_form(f"/p/{reply.id}/helpful")
    actions = soup(client.get(topic_url(reply.topic))).select(f"#p{reply.id} form")
    assert [f["action"] for f in actions if "helpful" in f["action"]] == [f"/p/{reply.id}/helpful/undo"]


def test_stored_counts_equal_the_marks(app: Flask) -> None:
    """After marks and undos from several members, each counter equals a fresh count of the marks."""
    topic = make_topic()
    replies = [make_post(topic=topic) for _ in range(3)]
    readers = [browser(app, make_member()) for _ in range(3)]
    for n, client in enumerate(readers):
        for target in replies[n:]:
            client.post_form(f"/p/{target.id}/helpful")
    readers[2].post_form(f"/p/{replies[2].id}/helpful/undo")
    db.session.expire_all()
    for target in replies:
        counted = db.session.scalar(select(func.count()).where(HelpfulMark.post_id == target.id))
        assert (target.helpful_count, target.author.helpful_received) == (counted, counted)


def test_topic_reads_most_helpful_first(app: Flask) -> None:
    """`?order=helpful` shows the opening post, then replies by helpful count (ties in posting order)."""
    topic = make_topic(body="Question")
    bodies = ["One mark", "Three marks", "No marks", "Also one mark"]
    posts = {body: make_post(topic=topic, body=body) for body in bodies}
    for body, count in (("One mark", 1), ("Three marks", 3), ("Also one mark", 1)):
        posts[body].helpful_count = count
    db.session.commit()
    response = browser(app).get(f"{topic_url(topic)}?order=helpful")
    assert post_bodies(response) == ["Question", "Three marks", "One mark", "Also one mark", "No marks"]


def test_topic_reads_in_posting_order_by_default(app: Flask) -> None:
    """Without `?order=helpful` (or with any other value) replies stay in the order they were written."""
    topic = make_topic(body="Question")
    make_post(topic=topic, body="First").helpful_count = 0
    second = make_post(topic=topic, body="Second")
    second.helpful_count = 5
    db.session.commit()
    assert post_bodies(browser(app).get(f"{topic_url(topic)}?order=nonsense")) == ["Question", "First", "Second"]


def test_recommended_reply_comes_right_after_the_question_when_most_helpful_first(app: Flask) -> None:
    """Staff's recommended reply leads the replies in the helpful order, whatever its count."""
    topic = make_topic(body="Question")
    make_post(topic=topic, body="Popular").helpful_count = 9
    browser(app, make_member(role=Role.STAFF)).post_form(f"/p/{make_post(topic=topic, body='Expert').id}/recommend")
    db.session.commit()
    assert post_bodies(browser(app).get(f"{topic_url(topic)}?order=helpful")) == ["Question", "Expert", "Popular"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("member", False), ("moderator", False), ("mentor", True), ("staff", True), ("admin", True)],
)
def test_who_may_recommend_a_reply(app: Flask, reply: Post, role: str, allowed: bool) -> None:
    """Mentors, staff and admins recommend replies; members and moderators are refused with 403."""
    response = browser(app, member_for(role)).post_form(f"/p/{reply.id}/recommend")
    assert refreshed(reply).recommended is allowed
    assert response.status_code == (302 if allowed else 403)


def test_recommendation_shows_a_badge_and_tells_the_author(app: Flask, reply: Post) -> None:
    """The recommended reply carries "Recommended by staff", and its author gets a notification."""
    browser(app, make_member(role=Role.MENTOR)).post_form(f"/p/{reply.id}/recommend")
    badge = soup(browser(app).get(topic_url(reply.topic))).select_one(f"#p{reply.id} .badge-recommended")
    assert badge is not None and badge.get_text() == "Recommended by staff"
    assert "recommended by staff" in page_text(browser(app, reply.author).get("/notifications"))


def test_recommending_another_reply_moves_the_recommendation(app: Flask, reply: Post) -> None:
    """A topic has one recommended reply: recommending a second one takes it from the first."""
    staff = browser(app, make_member(role=Role.STAFF))
    other = make_post(topic=reply.topic)
    staff.post_form(f"/p/{reply.id}/recommend")
    staff.post_form(f"/p/{other.id}/recommend")
    recommended = db.session.scalars(select(Post.id).where(Post.topic_id == reply.topic_id, Post.recommended)).all()
    assert recommended == [other.id]


def test_recommending_twice_is_refused_with_a_message(app: Flask, reply: Post) -> None:
    """Recommending the recommended reply again says so and changes nothing."""
    staff = browser(app, make_member(role=Role.STAFF))
    staff.post_form(f"/p/{reply.id}/recommend")
    response = staff.post_form(f"/p/{reply.id}/recommend", follow_redirects=True)
    assert "This reply is already the recommended one." in page_text(response)


def test_withdrawing_a_recommendation(app: Flask, reply: Post) -> None:
    """Withdrawing clears the recommendation and the badge."""
    staff = browser(app, make_member(role=Role.STAFF))
    staff.post_form(f"/p/{reply.id}/recommend")
    staff.post_form(f"/p/{reply.id}/recommend/undo")
    assert refreshed(reply).recommended is False
    assert soup(browser(app).get(topic_url(reply.topic))).select(".badge-recommended") == []


def test_mentor_cannot_recommend_their_own_reply(app: Flask) -> None:
    """A mentor's own reply is not theirs to recommend: 403 and nothing changes."""
    mentor = make_member(role=Role.MENTOR)
    own = make_post(author=mentor)
    assert browser(app, mentor).post_form(f"/p/{own.id}/recommend").status_code == 403
    assert refreshed(own).recommended is False


def test_topic_page_statements_do_not_grow_with_marks(app: Flask, count_queries: Callable) -> None:
    """A signed-in reader's topic page runs as many statements with 20 marked replies as with none."""
    reader = make_member()
    client = browser(app, reader)
    counts = []
    for marked in (False, True):
        topic = make_topic(group=make_group(members=(reader,)))
        for n in range(20):
            post = make_post(topic=topic)
            if marked:  # every reply marked by the reader, the first one recommended
                db.session.add(HelpfulMark(post_id=post.id, member_id=reader.id))
                post.helpful_count, post.recommended = 1, n == 0
        db.session.commit()
        with count_queries() as counter:
            assert client.get(topic_url(topic)).status_code == 200
        counts.append(len(counter))
    assert counts[0] == counts[1]
