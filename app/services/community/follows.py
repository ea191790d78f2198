"""Following topics and groups, and muting topics: who hears about new replies and new topics.

Each choice is one row per member and topic (or group). Two clicks, tabs or retries may arrive at the same moment,
so every write here is a statement that is right whatever the other one did: an insert that yields to an existing
row, an UPDATE or DELETE by key. None of them reads a row first and writes it back (that raised StaleDataError when
the row vanished in between).
"""

from __future__ import annotations

from sqlalchemy import delete, update

from app import permissions
from app.database.dml import insert_once
from app.extensions import db
from app.models import Group, GroupFollow, Member, Topic, TopicFollow


def follow_on_posting(member: Member, topic: Topic) -> None:
    """Posting in a topic follows it, unless the member follows it already or muted it (caller commits)."""
    insert_once(TopicFollow, member_id=member.id, topic_id=topic.id, muted=False)


def set_topic_follow(member: Member, topic: Topic, verb: str) -> None:
    """follow / unfollow / mute one topic the member may read."""
    permissions.ensure(member, "follow", topic)
    mine = (TopicFollow.member_id == member.id, TopicFollow.topic_id == topic.id)
    if verb == "unfollow":
        db.session.execute(delete(TopicFollow).where(*mine))
    else:
        muted = verb == "mute"
        if not insert_once(TopicFollow, member_id=member.id, topic_id=topic.id, muted=muted):
            db.session.execute(update(TopicFollow).where(*mine).values(muted=muted))
    db.session.commit()


def set_group_follow(member: Member, group: Group, verb: str) -> None:
    """follow / unfollow one group the member may read: followers hear about its new topics."""
    permissions.ensure(member, "follow", group)
    if verb == "unfollow":
        db.session.execute(
            delete(GroupFollow).where(GroupFollow.member_id == member.id, GroupFollow.group_id == group.id)
        )
    else:
        insert_once(GroupFollow, member_id=member.id, group_id=group.id)
    db.session.commit()
