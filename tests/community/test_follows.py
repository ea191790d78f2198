"""Following and muting topics and groups: the buttons, following by posting, and who hears about what."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, GroupFollow, Role, TopicFollow
from app.services.community.posting import reply, start_topic
from app.services.notify.notifications import announce_published
from tests.factories import group_of, make_member, make_post, make_topic
from tests.support import browser, notifications_of, topic_url


def follow_row(member, topic) -> TopicFollow | None:  # noqa: ANN001
    db.session.expire_all()
    return db.session.get(TopicFollow, (member.id, topic.id))


def test_starting_a_topic_follows_it(app: Flask) -> None:
    """The member who starts a topic follows it."""
    ann = make_member()
    topic = start_topic(ann, group_of(ann), "Sleep after surgery", "Any tips for sleeping?").topic
    row = follow_row(ann, topic)
    assert row is not None and not row.muted


def test_replying_follows_the_topic(app: Flask) -> None:
    """Replying to a topic follows it."""
    bob = make_member()
    topic = make_topic(group=group_of(bob))
    reply(bob, topic, "Same here.")
    assert follow_row(bob, topic) is not None


def test_follower_hears_about_a_reply(app: Flask) -> None:
    """A published reply notifies the topic's followers, with a link to the post and no post text."""
    ann, bob = make_member(), make_member()
    topic = start_topic(ann, group_of(ann, bob), "Sleep after surgery", "Any tips for sleeping?").topic
    post = reply(bob, topic, "Try a wedge pillow, it worked for me.").post
    (notice,) = notifications_of(ann, "reply")
    assert notice.link == f"/p/{post.id}"
    assert bob.display_name in notice.message and "wedge pillow" not in notice.message


def test_author_is_not_told_about_their_own_reply(app: Flask) -> None:
    """Nobody hears about their own post, though they follow the topic."""
    ann = make_member()
    topic = start_topic(ann, group_of(ann), "Sleep after surgery", "Any tips for sleeping?").topic
    reply(ann, topic, "Answering myself.")
    assert notifications_of(ann) == []


def test_muted_topic_tells_nothing_even_after_posting_again(app: Flask) -> None:
    """A member who muted a topic hears nothing about it, and posting in it again does not unmute it."""
    ann, bob = make_member(), make_member()
    group = group_of(ann, bob)
    topic = start_topic(ann, group, "Sleep after surgery", "Any tips for sleeping?").topic
    client = browser(app, ann)
    assert client.post_form(f"/t/{topic.id}/mute").status_code == 302
    reply(ann, topic, "One more thing from me.")
    reply(bob, topic, "Here is my answer.")
    assert follow_row(ann, topic).muted
    assert notifications_of(ann) == []


def test_mention_in_a_muted_topic_tells_nothing(app: Flask) -> None:
    """Muting silences mentions in that topic too."""
    ann, bob = make_member(display_name="Ann Muted"), make_member()
    topic = make_topic(group=group_of(ann, bob))
    db.session.add(TopicFollow(member_id=ann.id, topic_id=topic.id, muted=True))
    db.session.commit()
    reply(bob, topic, "What do you think, @[Ann Muted]?")
    assert notifications_of(ann) == []


def test_unfollowed_topic_tells_nothing(app: Flask) -> None:
    """After Unfollow, replies are not notified."""
    ann, bob = make_member(), make_member()
    topic = start_topic(ann, group_of(ann, bob), "Sleep after surgery", "Any tips for sleeping?").topic
    assert browser(app, ann).post_form(f"/t/{topic.id}/unfollow").status_code == 302
    reply(bob, topic, "Here is my answer.")
    assert follow_row(ann, topic) is None
    assert notifications_of(ann) == []


def test_follow_button_follows_and_the_page_says_so(app: Flask) -> None:
    """Follow on a topic page stores the follow, and the page then offers Unfollow."""
    ann = make_member()
    topic = make_topic(group=group_of(ann))
    client = browser(app, ann)
    assert "Follow</button>" in client.get(topic_url(topic)).get_data(as_text=True)
    client.post_form(f"/t/{topic.id}/follow")
    page = client.get(topic_url(topic)).get_data(as_text=True)
    assert follow_row(ann, topic) is not None
    assert "Unfollow</button>" in page and "Following" in page


def test_follow_without_csrf_token_is_refused(app: Flask) -> None:
    """The follow button is a CSRF-protected form: a bare POST stores nothing."""
    ann = make_member()
    topic = make_topic(group=group_of(ann))
    assert browser(app, ann).post(f"/t/{topic.id}/follow").status_code == 400
    assert follow_row(ann, topic) is None


def test_topic_the_member_cannot_see_cannot_be_followed(app: Flask) -> None:
    """Following another member's pending topic answers 404, like the topic itself."""
    ann = make_member()
    topic = make_topic(group=group_of(ann), status=ContentStatus.PENDING)
    assert browser(app, ann).post_form(f"/t/{topic.id}/follow").status_code == 404
    assert follow_row(ann, topic) is None


def test_visitors_see_no_follow_buttons(app: Flask) -> None:
    """Visitors get no follow buttons on topic or group pages."""
    topic = make_topic()
    client = browser(app)
    assert "Follow" not in client.get(topic_url(topic)).get_data(as_text=True)
    assert "Follow new topics" not in client.get(f"/g/{topic.group.slug}").get_data(as_text=True)


def test_group_follower_hears_about_a_new_topic(app: Flask) -> None:
    """Following a group notifies its new topics, linking to the opening post."""
    ann, bob = make_member(), make_member()
    group = group_of(ann, bob)
    client = browser(app, ann)
    assert client.post_form(f"/g/{group.slug}/follow").status_code == 302
    assert "Unfollow group" in client.get(f"/g/{group.slug}").get_data(as_text=True)
    posted = start_topic(bob, group, "Fatigue in the afternoon", "Does this happen to you?")
    (notice,) = notifications_of(ann, "new_topic")
    assert notice.link == f"/p/{posted.post.id}" and group.name in notice.message


def test_group_unfollow_stops_new_topic_notices(app: Flask) -> None:
    """Unfollowing a group removes the follow; later topics are not notified."""
    ann, bob = make_member(), make_member()
    group = group_of(ann, bob)
    client = browser(app, ann)
    client.post_form(f"/g/{group.slug}/follow")
    client.post_form(f"/g/{group.slug}/unfollow")
    start_topic(bob, group, "Fatigue in the afternoon", "Does this happen to you?")
    assert db.session.scalars(select(GroupFollow)).all() == []
    assert notifications_of(ann) == []


def test_follower_who_cannot_read_the_topic_is_not_told(app: Flask) -> None:
    """Announcing a reply in a topic moderators hid tells its moderator follower, not a member follower."""
    ann, moderator = make_member(), make_member(role=Role.MODERATOR)
    topic = make_topic(group=group_of(ann))
    post = make_post(topic=topic)
    db.session.add_all([TopicFollow(member_id=m.id, topic_id=topic.id) for m in (ann, moderator)])
    topic.status = ContentStatus.HIDDEN
    db.session.commit()
    announce_published(post)
    db.session.commit()
    assert notifications_of(ann) == []
    assert len(notifications_of(moderator, "reply")) == 1


@pytest.mark.parametrize("verb", ["follow", "mute"])
def test_double_click_stores_one_row(app: Flask, verb: str) -> None:
    """Sending the same button twice leaves one follow row."""
    ann = make_member()
    topic = make_topic(group=group_of(ann))
    client = browser(app, ann)
    client.post_form(f"/t/{topic.id}/{verb}")
    client.post_form(f"/t/{topic.id}/{verb}")
    assert len(db.session.scalars(select(TopicFollow)).all()) == 1
