"""The welcome queue at /mentor: new members' first published posts, oldest first, until welcomed; claims lapse."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.extensions import db
from app.models import ContentStatus, GroupVisibility, Member, Post, Role, Welcome
from app.models.base import utcnow
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_post, make_topic
from tests.mentoring.conftest import claim_age
from tests.support import browser, opening_post, page, soup


def queue_ids(client: FormClient) -> list[int]:
    """The post ids in the welcome queue, in the page's order."""
    response = client.get("/mentor")
    assert response.status_code == 200
    return [int(li["id"][1:]) for li in soup(response).select(".welcome-item")]


def welcome_of(post: Post) -> Welcome | None:
    db.session.rollback()
    return db.session.scalar(select(Welcome).where(Welcome.post_id == post.id))


def test_first_published_topic_and_reply_are_listed_oldest_first(app: Flask, mentor_client: FormClient) -> None:
    """A newcomer's first topic and another newcomer's first reply are both there, the older first."""
    topic = make_topic(title="My first topic")
    reply = make_post(topic=make_topic(author=make_member(role=Role.MODERATOR)), body="Hello all")
    db.session.execute(update(Post).where(Post.id == reply.id).values(created_at=utcnow() - timedelta(hours=5)))
    db.session.commit()
    assert queue_ids(mentor_client) == [reply.id, opening_post(topic).id]


def test_only_the_first_published_post_is_listed(app: Flask, mentor_client: FormClient) -> None:
    """The second post of the same member is not in the queue."""
    author = make_member()
    topic = make_topic(author=author)
    second = make_post(topic=topic, author=author, body="And another thing")
    ids = queue_ids(mentor_client)
    assert opening_post(topic).id in ids and second.id not in ids


@pytest.mark.parametrize("status", [ContentStatus.PENDING, ContentStatus.HIDDEN, ContentStatus.DELETED])
def test_unpublished_posts_are_not_listed(app: Flask, mentor_client: FormClient, status: ContentStatus) -> None:
    """A first post waiting for review, hidden or deleted is not shown; nor are its words."""
    author = make_member()
    topic = make_topic(author=make_member(role=Role.MENTOR))
    post = make_post(topic=topic, author=author, body="Words only moderators may see", status=status)
    assert post.id not in queue_ids(mentor_client)
    assert "Words only moderators may see" not in page(mentor_client.get("/mentor"))


def test_a_published_post_after_a_held_one_is_the_first_published(app: Flask, mentor_client: FormClient) -> None:
    """While the first post waits, the member's first published post is the one mentors see."""
    author = make_member()
    topic = make_topic(author=make_member(role=Role.MENTOR))
    held = make_post(topic=topic, author=author, status=ContentStatus.PENDING)
    published = make_post(topic=topic, author=author)
    ids = queue_ids(mentor_client)
    assert published.id in ids and held.id not in ids


def test_team_and_long_standing_members_are_not_listed(app: Flask, mentor_client: FormClient) -> None:
    """Mentors' and moderators' posts need no welcome, nor do those of members who joined long ago."""
    veteran = make_member(created_at=utcnow() - timedelta(days=400))
    posts = [opening_post(make_topic(author=author)) for author in (make_member(role=Role.MENTOR), veteran)]
    ids = queue_ids(mentor_client)
    assert not {post.id for post in posts} & set(ids)


def test_members_only_group_posts_are_listed_for_mentors_who_may_read_them(
    app: Flask, mentor_client: FormClient, mentor: Member
) -> None:
    """A first post in a members-only group is shown to a signed-in mentor, who may read that group."""
    group = make_group(visibility=GroupVisibility.MEMBERS)
    topic = make_topic(group=group, title="Among members")
    assert opening_post(topic).id in queue_ids(mentor_client)


def test_claim_shows_who_claimed_to_other_mentors(app: Flask, mentor_client: FormClient) -> None:
    """After "I'll welcome this", another mentor sees the claimer's name and no claim button."""
    post = opening_post(make_topic())
    assert mentor_client.post_form(f"/mentor/posts/{post.id}/claim").status_code == 302
    other = browser(app, make_member(display_name="Mentor Max", role=Role.MENTOR))
    item = soup(other.get("/mentor")).select_one(f"#w{post.id}")
    assert "Mentor Mia is welcoming this member" in item.get_text()
    assert item.select_one(f"form[action='/mentor/posts/{post.id}/claim']") is None


def test_a_second_claim_is_refused_and_keeps_the_first(app: Flask, mentor_client: FormClient, mentor: Member) -> None:
    """Another mentor's claim on a claimed post is refused with the claimer's name; the claim stays the first's."""
    post = opening_post(make_topic())
    mentor_client.post_form(f"/mentor/posts/{post.id}/claim")
    other = browser(app, make_member(display_name="Mentor Max", role=Role.MENTOR))
    response = other.post_form(f"/mentor/posts/{post.id}/claim", follow_redirects=True)
    assert "Mentor Mia has just said they will welcome this member." in page(response)
    assert welcome_of(post).claimed_by_id == mentor.id


def test_a_claim_lapses_after_24_hours(app: Flask, mentor_client: FormClient) -> None:
    """A claim older than a day shows as unclaimed again, and another mentor may take it."""
    post = opening_post(make_topic())
    mentor_client.post_form(f"/mentor/posts/{post.id}/claim")
    claim_age(post, timedelta(hours=23))
    max_ = make_member(display_name="Mentor Max", role=Role.MENTOR)
    other = browser(app, max_)
    assert "Mentor Mia is welcoming" in soup(other.get("/mentor")).select_one(f"#w{post.id}").get_text()
    claim_age(post, timedelta(hours=24, minutes=1))
    item = soup(other.get("/mentor")).select_one(f"#w{post.id}")
    assert "Nobody is welcoming this member yet." in item.get_text()
    assert other.post_form(f"/mentor/posts/{post.id}/claim").status_code == 302
    assert welcome_of(post).claimed_by_id == max_.id


def test_welcomed_clears_the_post_and_records_who_and_when(
    app: Flask, mentor_client: FormClient, mentor: Member
) -> None:
    """ "Welcomed" takes the post out of the queue for good, with the mentor and the time."""
    post = opening_post(make_topic())
    mentor_client.post_form(f"/mentor/posts/{post.id}/claim")
    assert mentor_client.post_form(f"/mentor/posts/{post.id}/welcomed").status_code == 302
    welcome = welcome_of(post)
    assert welcome.welcomed_by_id == mentor.id and welcome.welcomed_at is not None
    assert post.id not in queue_ids(mentor_client)
    make_post(topic=post.topic, author=post.author)  # their next post is not "first" either
    assert queue_ids(mentor_client) == []


def test_someone_elses_live_claim_blocks_welcomed(app: Flask, mentor_client: FormClient) -> None:
    """While another mentor's claim holds, marking the post welcomed is refused and nothing is recorded."""
    post = opening_post(make_topic())
    mentor_client.post_form(f"/mentor/posts/{post.id}/claim")
    other = browser(app, make_member(display_name="Mentor Max", role=Role.MENTOR))
    response = other.post_form(f"/mentor/posts/{post.id}/welcomed", follow_redirects=True)
    assert "Mentor Mia has just said they will welcome this member." in page(response)
    assert welcome_of(post).welcomed_at is None


def test_a_post_not_in_the_queue_cannot_be_claimed(app: Flask, mentor_client: FormClient) -> None:
    """A member's second post, or a pending one, is refused and stores nothing."""
    author = make_member()
    topic = make_topic(author=author)
    second = make_post(topic=topic, author=author)
    pending = make_post(topic=topic, author=make_member(), status=ContentStatus.PENDING)
    assert mentor_client.post_form(f"/mentor/posts/{second.id}/claim").status_code == 302
    assert mentor_client.post_form(f"/mentor/posts/{pending.id}/claim").status_code == 404
    assert welcome_of(second) is None and welcome_of(pending) is None


def test_the_queue_is_paginated(app: Flask, mentor_client: FormClient) -> None:
    """More than a page of newcomers spreads over pages, oldest first."""
    posts = [opening_post(make_topic()) for _ in range(21)]
    assert queue_ids(mentor_client) == [post.id for post in posts[:20]]
    second = mentor_client.get("/mentor?page=2")
    assert [int(li["id"][1:]) for li in soup(second).select(".welcome-item")] == [posts[20].id]


@pytest.mark.parametrize("role", [None, Role.MEMBER])
def test_visitors_and_members_are_refused(app: Flask, role: Role | None) -> None:
    """A visitor is sent to sign in; a member gets 403, for the page and for the buttons."""
    post = opening_post(make_topic())
    client = browser(app, make_member(role=role) if role else None)
    for method, path in (("GET", "/mentor"), ("POST", f"/mentor/posts/{post.id}/claim")):
        response = client.get(path) if method == "GET" else client.post_form(path)
        if role is None:
            assert response.status_code == 302 and "/login" in response.location
        else:
            assert response.status_code == 403
    assert welcome_of(post) is None


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF, Role.ADMIN])
def test_the_team_may_use_the_page(app: Flask, role: Role) -> None:
    """Moderators, staff and admins reach /mentor and see the queue."""
    post = opening_post(make_topic())
    client = browser(app, make_member(role=role))
    assert post.id in queue_ids(client)


def test_navigation_links_mentoring_only_for_those_who_may_use_it(app: Flask, mentor_client: FormClient) -> None:
    """The menu offers "Mentoring" to a mentor, not to a member."""
    assert soup(mentor_client.get("/")).select_one("a[href='/mentor']") is not None
    assert soup(browser(app, make_member()).get("/")).select_one("a[href='/mentor']") is None


def test_the_team_reaches_mentoring_from_the_staff_menu(app: Flask) -> None:
    """Staff, whose header is full, find "Mentoring" in the staff pages' menu; the dashboard links it."""
    page_ = soup(browser(app, make_member(role=Role.STAFF)).get("/staff"))
    assert page_.select_one(".subnav a[href='/mentor']") is not None
