"""Following topics and groups, and muting topics: who hears about new replies and new topics."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models import Group, GroupFollow, Member, Topic, TopicFollow


def follow_on_posting(member: Member, topic: Topic) -> None:
    """Posting in a topic follows it, unless the member follows it already or muted it (caller commits)."""
    if db.session.get(TopicFollow, (member.id, topic.id)) is None:
        db.session.add(TopicFollow(member_id=member.id, topic_id=topic.id))


def _commit_once() -> None:
    """A double click inserts the same row twice at once: the second attempt changes nothing, which is fine."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def set_topic_follow(member: Member, topic: Topic, verb: str) -> None:
    """follow / unfollow / mute one topic the member may read."""
    permissions.ensure(member, "follow", topic)
    row = db.session.get(TopicFollow, (member.id, topic.id))
    if verb == "unfollow":
        db.session.execute(
            delete(TopicFollow).where(TopicFollow.member_id == member.id, TopicFollow.topic_id == topic.id)
        )
    elif row is None:
        db.session.add(TopicFollow(member_id=member.id, topic_id=topic.id, muted=verb == "mute"))
    else:
        row.muted = verb == "mute"
    _commit_once()


def set_group_follow(member: Member, group: Group, verb: str) -> None:
    """follow / unfollow one group the member may read: followers hear about its new topics."""
    permissions.ensure(member, "follow", group)
    if verb == "unfollow":
        db.session.execute(
            delete(GroupFollow).where(GroupFollow.member_id == member.id, GroupFollow.group_id == group.id)
        )
    elif db.session.get(GroupFollow, (member.id, group.id)) is None:
        db.session.add(GroupFollow(member_id=member.id, group_id=group.id))
    _commit_once()
