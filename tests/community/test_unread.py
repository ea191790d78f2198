"""What is new since the member was last here: markers on the home and group pages, /unread, and "Mark all as
read" there and per group."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import ContentStatus, Group, Member, Post, Topic, TopicFollow
from tests.community.reading_support import add_posts, position
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import page_text, soup


@pytest.fixture
def reader(login_as: Callable) -> Member:
    member = make_member(display_name="Reader")
    login_as(member)
    return member


@pytest.fixture
def group(reader: Member) -> Group:
    """A group the reader joined."""
    return make_group(name="Long COVID", members=(reader,))


def read(client: FormClient, topic: Topic) -> None:
    assert client.get(f"/t/{topic.id}/{topic.slug}").status_code == 200


def row_of(html_page: object, topic: Topic) -> str:
    """The text of the topic's row in a list (empty if it is not listed)."""
    for row in soup(html_page).select(".topic-row"):
        link = row.select_one(".topic-title")
        if link is not None and link.get_text() == topic.title:
            return " ".join(row.get_text().split())
    return ""


def listed(response: object) -> list[str]:
    return [link.get_text() for link in soup(response).select(".topic-title")]


def test_group_page_marks_new_replies(client: FormClient, reader: Member, group: Group) -> None:
    """Three replies after the member's visit show as "3 new" on the group page."""
    topic = make_topic(group=group, title="Brain fog")
    read(client, topic)
    add_posts(topic, make_member(), 3)
    assert "3 new" in row_of(client.get(f"/g/{group.slug}"), topic)


def test_group_page_marks_topics_never_opened(client: FormClient, reader: Member, group: Group) -> None:
    """A topic the member never opened is marked "new"; one they read to the end carries no marker."""
    unopened, seen = make_topic(group=group, title="Brain fog"), make_topic(group=group, title="Pacing")
    read(client, seen)
    page = client.get(f"/g/{group.slug}")
    assert row_of(page, unopened).count("new") == 1
    assert "new" not in row_of(page, seen)


def test_home_page_marks_new_replies(client: FormClient, reader: Member, group: Group) -> None:
    """The home page's latest activity shows "1 new" beside a topic with one reply since the visit."""
    topic = make_topic(group=group, title="Brain fog")
    read(client, topic)
    make_post(topic=topic)
    assert "1 new" in row_of(client.get("/"), topic)


def test_visitors_see_no_markers(client: FormClient) -> None:
    """Markers are for signed-in members only: a visitor's group page has none."""
    group = make_group()
    make_topic(group=group, title="Brain fog")
    assert not soup(client.get(f"/g/{group.slug}")).select(".badge-new")


def test_own_replies_are_not_new(client: FormClient, reader: Member, group: Group) -> None:
    """The member's own reply after their visit is not counted as new to them."""
    topic = make_topic(group=group, title="Brain fog")
    read(client, topic)
    make_post(topic=topic, author=reader)
    assert "new" not in row_of(client.get(f"/g/{group.slug}"), topic)


@pytest.mark.parametrize("status", [ContentStatus.PENDING, ContentStatus.HIDDEN, ContentStatus.REJECTED])
def test_unpublished_replies_are_not_new(client: FormClient, reader: Member, group: Group, status: str) -> None:
    """Replies waiting for review, hidden or rejected count as new nowhere: not on the group page, not in /unread."""
    topic = make_topic(group=group, title="Brain fog")
    read(client, topic)
    add_posts(topic, make_member(), 2, status=ContentStatus(status))
    assert "new" not in row_of(client.get(f"/g/{group.slug}"), topic)
    assert "Brain fog" not in listed(client.get("/unread"))


def test_topic_links_lead_to_the_first_unread_post(client: FormClient, reader: Member, group: Group) -> None:
    """A topic with new replies is linked with `?unread=1` from the group page."""
    topic = make_topic(group=group, title="Brain fog")
    read(client, topic)
    make_post(topic=topic)
    link = soup(client.get(f"/g/{group.slug}")).select_one(".topic-title")
    assert link["href"] == f"/t/{topic.id}/{topic.slug}?unread=1"


def test_unread_lists_joined_groups_and_followed_topics_newest_first(client: FormClient, reader: Member) -> None:
    """/unread lists new posts in joined groups and followed topics, most recent activity first, and nothing else."""
    joined = make_group(members=(reader,))
    older = make_topic(group=joined, title="Older news")
    followed = make_topic(title="Followed elsewhere")
    db.session.add(TopicFollow(member_id=reader.id, topic_id=followed.id))
    db.session.commit()
    make_topic(title="Elsewhere, not followed")
    make_post(topic=followed)
    assert listed(client.get("/unread")) == [followed.title, older.title]


def test_unread_leaves_out_muted_topics(client: FormClient, reader: Member, group: Group) -> None:
    """A topic the member muted in a joined group is not in /unread."""
    topic = make_topic(group=group, title="Muted one")
    db.session.add(TopicFollow(member_id=reader.id, topic_id=topic.id, muted=True))
    db.session.commit()
    assert "Muted one" not in listed(client.get("/unread"))


@pytest.mark.parametrize("status", [ContentStatus.HIDDEN, ContentStatus.PENDING])
def test_unread_leaves_out_topics_the_member_cannot_see(
    client: FormClient, reader: Member, group: Group, status: str
) -> None:
    """Hidden topics and topics waiting for review never appear in /unread."""
    make_topic(group=group, title="Not for everyone", status=ContentStatus(status))
    assert "Not for everyone" not in listed(client.get("/unread"))


def test_unread_leaves_out_topics_read_to_the_end(client: FormClient, reader: Member, group: Group) -> None:
    """A topic read to its last post leaves /unread; a new reply brings it back."""
    topic = make_topic(group=group, title="Brain fog")
    read(client, topic)
    assert "Brain fog" not in listed(client.get("/unread"))
    make_post(topic=topic)
    assert "Brain fog" in listed(client.get("/unread"))


def test_unread_is_paginated(client: FormClient, reader: Member, group: Group) -> None:
    """More than a page of unread topics spreads over pages: page 2 holds the oldest."""
    for n in range(31):
        make_topic(group=group, title=f"Topic number {n}")
    assert len(listed(client.get("/unread"))) == 30
    assert listed(client.get("/unread?page=2")) == ["Topic number 0"]


def test_unread_needs_signing_in(client: FormClient) -> None:
    """A visitor asking for /unread is sent to sign in."""
    response = client.get("/unread")
    assert response.status_code == 302 and "/login" in response.location


def test_mark_all_read_empties_unread(client: FormClient, reader: Member, group: Group) -> None:
    """ "Mark all as read" on /unread marks every listed topic read to its newest published post."""
    first, second = make_topic(group=group, title="Brain fog"), make_topic(group=group, title="Pacing")
    read(client, first)
    make_post(topic=first)
    response = client.post_form("/unread/mark-read", {}, follow_redirects=True)
    assert response.status_code == 200 and listed(response) == []
    assert "Everything is marked as read." in page_text(response)
    assert position(reader, second) is not None


def test_mark_group_read_marks_only_that_group(client: FormClient, reader: Member, group: Group) -> None:
    """ "Mark all as read" on a group page marks its topics read and leaves other groups' topics unread."""
    here = make_topic(group=group, title="In this group")
    there = make_topic(group=make_group(members=(reader,)), title="In another")
    client.post_form(f"/g/{group.slug}/mark-read", {})
    assert listed(client.get("/unread")) == ["In another"]
    assert position(reader, here) is not None and position(reader, there) is None


def test_mark_read_never_moves_a_position_back(client: FormClient, reader: Member, group: Group) -> None:
    """Marking a group read after the last reply the member saw was hidden keeps their further position."""
    topic = make_topic(group=group, title="Brain fog")
    last = make_post(topic=topic)
    read(client, topic)
    db.session.execute(update(Post).where(Post.id == last.id).values(status=ContentStatus.HIDDEN))
    db.session.commit()
    client.post_form(f"/g/{group.slug}/mark-read", {})
    assert position(reader, topic) == last.id


def test_mark_read_needs_csrf(client: FormClient, reader: Member, group: Group) -> None:
    """ "Mark all as read" without a CSRF token is refused and writes nothing."""
    make_topic(group=group, title="Brain fog")
    response = client.post("/unread/mark-read", data={})
    assert response.status_code == 400
    assert listed(client.get("/unread")) == ["Brain fog"]
