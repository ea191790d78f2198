"""Group, topic, post and profile pages: order, pagination, redirects, and who sees what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.models import ContentStatus
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser, opening_post, page_text, post_bodies, soup, topic_titles, topic_url

START = datetime(2026, 1, 1, tzinfo=UTC)
UNPUBLISHED_POSTS = [ContentStatus.PENDING, ContentStatus.HIDDEN, ContentStatus.REJECTED]
UNPUBLISHED_TOPICS = [ContentStatus.PENDING, ContentStatus.HIDDEN]


@pytest.fixture(params=["visitor", "other member"])
def reader(request, app):  # noqa: ANN001, ANN201
    """Someone who is not the author: a visitor, then another signed-in member."""
    return browser(app, make_member() if request.param == "other member" else None)


# Topic pages


@pytest.mark.parametrize(("page", "numbers"), [(1, range(1, 21)), (2, range(21, 26))])
def test_topic_pages_hold_twenty_posts_in_order(client, page, numbers, topic_with_posts):
    """A topic shows its posts oldest first, twenty to a page."""
    topic, _ = topic_with_posts(25)
    response = client.get(topic_url(topic), query_string={"page": page})
    assert post_bodies(response) == [f"Post {n}" for n in numbers]


@pytest.mark.parametrize("path", ["", "/an-old-title", "/TOPIC-1"], ids=["none", "old", "upper"])
def test_topic_url_with_wrong_slug_redirects_permanently(client, path):
    """A topic URL with a missing, old or wrong slug answers 301 to the current one."""
    topic = make_topic()
    response = client.get(f"/t/{topic.id}{path}")
    assert response.status_code == 301
    assert response.headers["Location"] == topic_url(topic)


def test_slug_redirect_keeps_the_page(client, topic_with_posts):
    """The slug redirect keeps the page number asked for."""
    topic, _ = topic_with_posts(21)
    response = client.get(f"/t/{topic.id}/an-old-title?page=2")
    assert response.headers["Location"] == f"{topic_url(topic)}?page=2"


@pytest.mark.parametrize(("position", "query"), [(1, ""), (20, ""), (21, "?page=2"), (25, "?page=2")])
def test_post_link_redirects_to_its_page_and_anchor(client, position, query, topic_with_posts):
    """/p/<id> redirects to the page of the topic that holds the post, at its anchor."""
    topic, posts = topic_with_posts(25)
    post = posts[position - 1]
    response = client.get(f"/p/{post.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{topic_url(topic)}{query}#p{post.id}"


@pytest.mark.parametrize("status", UNPUBLISHED_POSTS)
def test_unpublished_post_is_not_shown_to_others(reader, status):
    """Pending, hidden and rejected posts are left out of the topic page for visitors and other members."""
    topic = make_topic(body="Opening post")
    make_post(topic=topic, body="Not for everyone", status=status)
    response = reader.get(topic_url(topic))
    assert post_bodies(response) == ["Opening post"]


@pytest.mark.parametrize("status", UNPUBLISHED_POSTS)
def test_unpublished_post_link_is_404_to_others(reader, status):
    """/p/<id> of a pending, hidden or rejected post answers 404 to visitors and other members."""
    post = make_post(status=status)
    assert reader.get(f"/p/{post.id}").status_code == 404


def test_pending_post_is_shown_to_its_author_awaiting_review(client, login_as):
    """The author sees their own pending post, labelled "Awaiting review"."""
    author, topic = make_member(), make_topic()
    post = make_post(topic=topic, author=author, body="My first words here", status=ContentStatus.PENDING)
    login_as(author)
    item = soup(client.get(topic_url(topic))).select_one(f"#p{post.id}")
    assert "Awaiting review" in item.get_text()
    assert "My first words here" in item.get_text()


def test_hidden_post_is_not_shown_to_its_author(client, login_as):
    """Once moderators hide a post, its author no longer sees it in the topic."""
    author, topic = make_member(), make_topic(body="Opening post")
    make_post(topic=topic, author=author, body="Taken down", status=ContentStatus.HIDDEN)
    login_as(author)
    assert post_bodies(client.get(topic_url(topic))) == ["Opening post"]


def test_rejected_post_is_shown_to_its_author_to_improve(client, login_as):
    """A rejected post stays visible to its author, labelled, so they can edit and resubmit it."""
    author, topic = make_member(), make_topic(body="Opening post")
    post = make_post(topic=topic, author=author, body="Turned down", status=ContentStatus.REJECTED)
    login_as(author)
    item = soup(client.get(topic_url(topic))).select_one(f"#p{post.id}")
    assert "Not published" in item.get_text()
    assert item.select_one(f'a[href="/p/{post.id}/edit"]') is not None


@pytest.mark.parametrize("status", UNPUBLISHED_TOPICS)
def test_unpublished_topic_is_404_to_others(reader, status):
    """A pending or hidden topic answers 404 to visitors and other members."""
    topic = make_topic(status=status)
    assert reader.get(topic_url(topic)).status_code == 404


def test_pending_topic_is_shown_to_its_author(client, login_as):
    """The author can open their own topic while it waits for review."""
    author = make_member()
    topic = make_topic(author=author, status=ContentStatus.PENDING, body="Waiting words")
    login_as(author)
    response = client.get(topic_url(topic))
    assert response.status_code == 200
    assert post_bodies(response) == ["Waiting words"]


# Group pages


def test_group_lists_pinned_topics_first_then_latest_activity(client):
    """Pinned topics come first, then the rest by most recent activity."""
    group = make_group()
    for title, pinned, days in [("Old pin", True, 0), ("Quiet", False, 1), ("New pin", True, 2), ("Busy", False, 3)]:
        make_topic(group=group, title=title, pinned=pinned, last_activity_at=START + timedelta(days=days))
    assert topic_titles(client.get(f"/g/{group.slug}")) == ["New pin", "Old pin", "Busy", "Quiet"]


@pytest.mark.parametrize(("page", "numbers"), [(1, range(20, 0, -1)), (2, [0])])
def test_group_pages_hold_twenty_topics(client, page, numbers):
    """A group lists twenty topics to a page, the most recently active first."""
    group = make_group()
    for n in range(21):
        make_topic(group=group, title=f"Topic {n}", last_activity_at=START + timedelta(hours=n))
    response = client.get(f"/g/{group.slug}", query_string={"page": page})
    assert topic_titles(response) == [f"Topic {n}" for n in numbers]


def test_visitors_see_a_groups_topics(client):
    """A visitor reading a group sees its topics."""
    topic = make_topic(title="Nervous about rehab")
    assert topic_titles(client.get(f"/g/{topic.group.slug}")) == ["Nervous about rehab"]


@pytest.mark.parametrize("status", [*UNPUBLISHED_TOPICS, ContentStatus.DELETED])
def test_group_lists_only_published_topics(reader, status):
    """Pending, hidden and deleted topics are not listed on the group page."""
    group = make_group()
    make_topic(group=group, title="Published")
    make_topic(group=group, title="Unpublished", status=status)
    assert topic_titles(reader.get(f"/g/{group.slug}")) == ["Published"]


def test_empty_group_has_a_first_page(client):
    """Page 1 of a group without topics exists."""
    assert client.get(f"/g/{make_group().slug}?page=1").status_code == 200


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "", "2", "99999999"])
@pytest.mark.parametrize("where", ["group", "topic"])
def test_page_that_does_not_exist_is_404(client, where, page):
    """A non-numeric, zero, negative or out-of-range page of a group or topic answers 404."""
    topic = make_topic()
    url = f"/g/{topic.group.slug}" if where == "group" else topic_url(topic)
    assert client.get(url, query_string={"page": page}).status_code == 404


# After edits and deletions


@pytest.fixture
def author(login_as):  # noqa: ANN001, ANN201
    """A signed-in member whose words the tests below change."""
    member = make_member()
    login_as(member)
    return member


def test_edited_post_is_labelled_edited(client, author):
    """After an edit, the topic page marks the post "edited" (and only that post)."""
    post = make_post(author=author, body="First try")
    client.post_form(f"/p/{post.id}/edit", {"body": "Second try"})
    page = soup(client.get(topic_url(post.topic)))
    assert "edited" in page.select_one(f"#p{post.id} .post-header").get_text()
    assert "edited" not in page.select_one(f"#p{opening_post(post.topic).id} .post-header").get_text()


def test_retitled_topic_old_url_redirects_to_the_new_one(client, author):
    """After a retitle, the old slug answers 301 to the new slug."""
    topic = make_topic(author=author)
    old_url = topic_url(topic)
    client.post_form(f"/p/{opening_post(topic).id}/edit", {"title": "Sleep after surgery", "body": "Opening post"})
    response = client.get(old_url)
    assert response.status_code == 301
    assert response.headers["Location"] == f"/t/{topic.id}/sleep-after-surgery"


def test_deleted_reply_leaves_a_placeholder(app, client, author):
    """Others see "Post removed by its author" where a deleted reply was, not its words."""
    post = make_post(author=author, body="Words I regret")
    client.post_form(f"/p/{post.id}/delete")
    item = soup(browser(app).get(topic_url(post.topic))).select_one(f"#p{post.id}")
    assert "Post removed by its author" in item.get_text()
    assert "Words I regret" not in item.get_text()


def test_deleting_unanswered_opening_post_removes_the_topic_page(client, author):
    """Once its unanswered opening post is deleted, the topic URL answers 404."""
    topic = make_topic(author=author)
    url = topic_url(topic)
    client.post_form(f"/p/{opening_post(topic).id}/delete")
    assert client.get(url).status_code == 404


# Profiles


def test_profile_lists_recent_published_posts(client):
    """A profile shows the member's recent published posts."""
    author = make_member(display_name="Quiet Oak")
    topic = make_topic(author=author, body="Opening words")
    make_post(topic=topic, author=author, body="Published words")
    text = page_text(client.get("/u/Quiet%20Oak"))
    assert "Opening words" in text
    assert "Published words" in text


@pytest.mark.parametrize("status", [*UNPUBLISHED_POSTS, ContentStatus.DELETED])
def test_profile_leaves_out_unpublished_posts(client, status):
    """Pending, hidden, rejected and deleted posts are not on the author's profile."""
    author = make_member(display_name="Quiet Oak")
    make_post(author=author, body="Unpublished words", status=status)
    assert "Unpublished words" not in page_text(client.get("/u/Quiet%20Oak"))


def test_profile_leaves_out_posts_in_hidden_topics(client):
    """A published reply in a hidden topic is not on the author's profile."""
    author = make_member(display_name="Quiet Oak")
    make_post(topic=make_topic(status=ContentStatus.HIDDEN), author=author, body="Words in a hidden topic")
    assert "Words in a hidden topic" not in page_text(client.get("/u/Quiet%20Oak"))


def test_unknown_profile_is_404(client):
    """A display name nobody has answers 404."""
    assert client.get("/u/Nobody%20Here").status_code == 404


# Things that don't exist


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/g/no-such-group"),
        ("get", "/g/no-such-group/new"),
        ("post", "/g/no-such-group/new"),
        ("post", "/g/no-such-group/join"),
        ("post", "/g/no-such-group/leave"),
        ("get", "/t/999999"),
        ("get", "/t/999999/some-title"),
        ("post", "/t/999999/reply"),
        ("get", "/p/999999"),
        ("get", "/p/999999/edit"),
        ("post", "/p/999999/edit"),
        ("post", "/p/999999/delete"),
        ("get", "/t/2147483648/beyond-32-bits"),
        ("get", "/t/9223372036854775808/beyond-64-bits"),
        ("post", "/t/2147483648/reply"),
        ("get", "/p/2147483648"),
        ("get", "/p/9223372036854775808"),
        ("post", "/p/9223372036854775808/delete"),
    ],
)
def test_unknown_group_topic_or_post_is_404(client, login_as, method, url):
    """Group slugs, topic ids and post ids that match nothing answer 404, whatever their size."""
    login_as(make_member())
    send = client.get if method == "get" else lambda url: client.post_form(url, {"body": "Hello"})
    assert send(url).status_code == 404


@pytest.mark.parametrize("url", ["/g/x%00y", "/u/a%00b", "/g/x%00y/new"])
def test_nul_in_a_path_is_not_found(client, url):
    """A NUL character in a slug or name answers 404, not a database error."""
    assert client.get(url).status_code in (302, 404)
