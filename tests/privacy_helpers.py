"""Shared by the export and deletion tests: a member who has left traces in every corner of the site."""

from __future__ import annotations

from dataclasses import dataclass

from app.extensions import db
from app.models import (
    Announcement,
    AnnouncementDismissal,
    FlagReason,
    Group,
    HelpfulMark,
    Member,
    Notification,
    OutboxMessage,
    Post,
    Topic,
)
from app.models.follow import GroupFollow, TopicFollow
from app.models.messages import Block, MessageReport
from app.models.notification import Delivery, NotificationPreference
from app.services.common.counters import count_helpful
from app.services.moderation.flags import flag_post
from app.text.rendering import cook
from tests.factories import make_group, make_member, make_post, make_topic
from tests.messages_helpers import make_conversation

NAME = "Quill Unique"
EMAIL = "quill.unique@example.org"
BIO = "Diagnosed in spring; bioword-sapphire."
MESSAGE = "messageword-obsidian, please keep this between us"
TOPIC_BODY = "**Opening** words by Quill: topicword-garnet"
REPLY_BODY = "A reply by Quill: replyword-topaz"
SUBJECT = "Between us, subjectword-jade"
FLAG_DETAILS = "flagword-onyx: this looks like spam to me"


@dataclass
class Traces:
    member: Member
    other: Member  # a member they talked to, blocked, followed and marked helpful
    group: Group
    topic: Topic  # theirs, with a reply by `other`
    reply: Post  # theirs, in other's topic
    others_reply: Post  # other's reply in their topic
    others_topic: Topic


def member_with_traces() -> Traces:
    """A member with a bio, posts, messages, follows, marks, flags, notifications, preferences, blocks and mail."""
    member = make_member(display_name=NAME, email=EMAIL, bio=BIO, pending_email="quill.new@example.org")
    other = make_member(display_name="Olive Other")
    group = make_group(name="Sleep", members=(member, other))
    topic = make_topic(group=group, author=member, title="Nights are long", body=TOPIC_BODY)
    others_reply = make_post(topic=topic, author=other, body=f"Olive answering @[{NAME}], thanks")
    others_topic = make_topic(group=group, author=other, title="Olive asks")
    reply = make_post(topic=others_topic, author=member, body=REPLY_BODY)
    _marks_and_flags(member, other, reply, others_reply)
    conversation = make_conversation(member, other, subject=SUBJECT, bodies=(MESSAGE,))
    answer = make_conversation(other, member, subject="Olive writes", bodies=("Olive's own words",))
    announcement = Announcement(raw="Hello", cooked=cook("Hello"))
    db.session.add(announcement)
    db.session.flush()
    db.session.add_all(
        [
            TopicFollow(member_id=member.id, topic_id=others_topic.id),
            GroupFollow(member_id=member.id, group_id=group.id),
            Block(blocker_id=member.id, blocked_id=other.id),
            Block(blocker_id=other.id, blocked_id=member.id),
            NotificationPreference(member_id=member.id, kind="reply", delivery=Delivery.EMAIL),
            Notification(member_id=member.id, kind="reply", message="Olive Other replied to Nights are long"),
            Notification(member_id=other.id, kind="reply", message=f"{NAME} replied to Olive asks"),
            OutboxMessage(to_address=EMAIL, subject="Your digest", body_text=f"Hello {NAME}", headers={}),
            OutboxMessage(
                to_address=other.email,
                subject=f"{NAME} replied",
                body_text=f"{NAME} replied to Olive asks",
                body_html=f"<p>{NAME} replied</p>",
                headers={},
            ),
            AnnouncementDismissal(member_id=member.id, announcement_id=announcement.id),
            MessageReport(
                message_id=answer.last_message_id, reporter_id=member.id, reason=FlagReason.OTHER, details=FLAG_DETAILS
            ),
        ]
    )
    db.session.commit()
    assert conversation.id
    return Traces(member, other, group, topic, reply, others_reply, others_topic)


def _marks_and_flags(member: Member, other: Member, reply: Post, others_reply: Post) -> None:
    """They marked Olive's reply helpful and flagged Olive's topic; Olive marked their reply helpful."""
    db.session.add(HelpfulMark(post_id=others_reply.id, member_id=member.id, receiver_id=other.id))
    count_helpful(others_reply, 1)
    db.session.add(HelpfulMark(post_id=reply.id, member_id=other.id, receiver_id=member.id))
    count_helpful(reply, 1)
    opening = db.session.query(Post).filter_by(topic_id=reply.topic_id, is_opening=True).one()
    db.session.commit()
    flag_post(member, opening, FlagReason.OTHER.value, FLAG_DETAILS)  # opens a review item quoting the details
