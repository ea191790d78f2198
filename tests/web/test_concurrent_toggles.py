"""Toggles and once-per-member actions sent several times at the same moment (double clicks, two tabs, retries):
every copy answers without a server error, and the stored state and counters are what one request would leave."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AnnouncementDismissal,
    AuditEvent,
    Group,
    GroupFollow,
    GroupMembership,
    HelpfulMark,
    Member,
    Post,
    Role,
    TopicFollow,
)
from app.services.community.groups import join_group
from app.services.community.helpful import mark_helpful, recommend
from app.services.content.announcements import create_announcement
from tests.factories import group_of, make_group, make_member, make_post, make_topic
from tests.served import served
from tests.support import browser, notifications_of

COPIES = 6


def rows(model: type, *where: object) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def burst(app: Flask, member: Member, *paths: str) -> None:
    """Send these POSTs (one path: COPIES of it) at once as this member; none may fail on the server."""
    paths = paths * COPIES if len(paths) == 1 else paths
    with served(app) as server:
        statuses = server.post_at_once(browser(app, member), list(paths))
    assert server.errors == []
    assert len(statuses) == len(paths) and all(status < 500 for status in statuses), statuses
    db.session.expire_all()


@pytest.mark.parametrize("verb", ["follow", "mute"])
def test_simultaneous_topic_follows_leave_one_row(app: Flask, verb: str) -> None:
    """Following or muting a topic from several tabs at once stores one row, in the chosen state."""
    ann = make_member()
    topic = make_topic(group=group_of(ann))
    burst(app, ann, f"/t/{topic.id}/{verb}")
    assert rows(TopicFollow, TopicFollow.member_id == ann.id) == 1
    assert db.session.get(TopicFollow, (ann.id, topic.id)).muted is (verb == "mute")


def test_simultaneous_unfollows_leave_none(app: Flask) -> None:
    """Unfollowing at once from several tabs removes the row and fails nowhere."""
    ann = make_member()
    topic = make_topic(group=group_of(ann))
    db.session.add(TopicFollow(member_id=ann.id, topic_id=topic.id))
    db.session.commit()
    burst(app, ann, f"/t/{topic.id}/unfollow")
    assert rows(TopicFollow, TopicFollow.member_id == ann.id) == 0


def test_mutes_racing_unfollows_end_in_one_state(app: Flask) -> None:
    """Mutes and unfollows of one followed topic at the same moment never fail; one of the two states remains."""
    ann = make_member()
    topic = make_topic(group=group_of(ann))
    for _ in range(3):
        db.session.merge(TopicFollow(member_id=ann.id, topic_id=topic.id, muted=False))
        db.session.commit()
        burst(app, ann, *[f"/t/{topic.id}/mute", f"/t/{topic.id}/unfollow"] * 4)
        row = db.session.get(TopicFollow, (ann.id, topic.id))
        assert row is None or row.muted is True


def test_simultaneous_group_follows_leave_one_row(app: Flask) -> None:
    """Following a group from several tabs at once stores one follow."""
    ann = make_member()
    group = group_of(ann)
    burst(app, ann, f"/g/{group.slug}/follow")
    assert rows(GroupFollow, GroupFollow.member_id == ann.id) == 1


def test_simultaneous_joins_count_once(app: Flask) -> None:
    """Joining a group in several requests at once makes one membership, and the group counts one member."""
    ann = make_member()
    group = make_group()
    burst(app, ann, f"/g/{group.slug}/join")
    assert rows(GroupMembership, GroupMembership.member_id == ann.id) == 1
    assert db.session.get(Group, group.id).member_count == 1


def test_simultaneous_leaves_count_once(app: Flask) -> None:
    """Leaving in several requests at once removes the membership once and the count never drops below it."""
    ann, bob = make_member(), make_member()
    group = make_group(members=(ann, bob))
    burst(app, ann, f"/g/{group.slug}/leave")
    assert rows(GroupMembership, GroupMembership.group_id == group.id) == 1
    assert db.session.get(Group, group.id).member_count == 1


def _reply_by_someone_else(reader: Member) -> Post:
    author = make_member()
    topic = make_topic(group=group_of(reader, author))
    return make_post(topic=topic, author=author)


def test_simultaneous_helpful_marks_count_once(app: Flask) -> None:
    """Marking a reply helpful in several requests at once stores one mark, counts one, notifies once."""
    ann = make_member()
    reply = _reply_by_someone_else(ann)
    burst(app, ann, f"/p/{reply.id}/helpful")
    assert rows(HelpfulMark, HelpfulMark.post_id == reply.id) == 1
    post = db.session.get(Post, reply.id)
    assert post.helpful_count == 1
    assert db.session.get(Member, post.author_id).helpful_received == 1
    assert len(notifications_of(post.author, "helpful")) == 1


def test_simultaneous_helpful_undos_uncount_once(app: Flask) -> None:
    """Taking a mark back in several requests at once removes it once: the counts return to zero, not below."""
    ann = make_member()
    reply = _reply_by_someone_else(ann)
    mark_helpful(ann, reply)
    burst(app, ann, f"/p/{reply.id}/helpful/undo")
    post = db.session.get(Post, reply.id)
    assert rows(HelpfulMark, HelpfulMark.post_id == reply.id) == 0
    assert post.helpful_count == 0
    assert db.session.get(Member, post.author_id).helpful_received == 0


@pytest.mark.parametrize(
    ("path", "prepare", "recommended", "action"),
    [
        ("/p/{id}/recommend", lambda staff, post: None, True, "recommend_post"),
        ("/p/{id}/recommend/undo", recommend, False, "unrecommend_post"),
    ],
)
def test_simultaneous_recommendations_audit_once(
    app: Flask, path: str, prepare: Callable, recommended: bool, action: str
) -> None:
    """Recommending a reply (or withdrawing it) in several requests at once changes it once, with one audit event."""
    staff = make_member(role=Role.STAFF)
    reply = _reply_by_someone_else(staff)
    prepare(staff, reply)
    burst(app, staff, path.format(id=reply.id))
    assert db.session.get(Post, reply.id).recommended is recommended
    assert rows(AuditEvent, AuditEvent.action == action) == 1


def test_simultaneous_dismissals_leave_one_row(app: Flask) -> None:
    """Closing the banner in several tabs at once stores one dismissal."""
    staff, ann = make_member(role=Role.STAFF), make_member()
    announcement = create_announcement(staff, "The forum will be read-only on Sunday morning.", None)
    burst(app, ann, f"/announcements/{announcement.id}/dismiss")
    assert rows(AnnouncementDismissal, AnnouncementDismissal.member_id == ann.id) == 1


def test_joins_racing_leaves_keep_the_count_true(app: Flask) -> None:
    """Joins and leaves at the same moment leave the member count equal to the memberships stored."""
    ann, bob = make_member(), make_member()
    group = make_group(members=(bob,))
    join_group(ann, group)
    burst(app, ann, *[f"/g/{group.slug}/leave", f"/g/{group.slug}/join"] * 4)
    assert db.session.get(Group, group.id).member_count == rows(GroupMembership, GroupMembership.group_id == group.id)
