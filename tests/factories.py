"""Test data with keyword defaults. Members share one password hash, made once at the testing cost."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from app.extensions import db
from app.models import (
    Announcement,
    AnnouncementDismissal,
    Bookmark,
    ContentStatus,
    Event,
    EventKind,
    FlagReason,
    Group,
    GroupMembership,
    HelpfulMark,
    Member,
    MemberStatus,
    Notification,
    OutboxMessage,
    Post,
    ReviewItem,
    Role,
    Topic,
    TopicRead,
)
from app.models.base import utcnow
from app.models.follow import GroupFollow, TopicFollow
from app.models.messages import Block, Conversation, ConversationParticipant, Message, MessageReport
from app.models.notification import Delivery, NotificationPreference
from app.services.common.counters import count_helpful
from app.services.community.posting import reply
from app.services.members import passwords
from app.services.members.identity import display_name_key
from app.services.moderation.flags import flag_post
from app.text.rendering import cook
from tests.support import open_item

PASSWORD = "correct horse battery"  # noqa: S105
_sequence = itertools.count(1)


@cache
def _password_hash() -> str:
    return passwords.hash_password(PASSWORD)


def make_member(
    *,
    display_name: str | None = None,
    email: str | None = None,
    role: Role = Role.MEMBER,
    approved_posts: int = 10,
    **fields,
) -> Member:
    """An established member by default (posts publish directly); pass approved_posts=0 for a newcomer."""
    n = next(_sequence)
    display_name = display_name or f"Member {n}"
    fields.setdefault("email_verified_at", utcnow())  # existing members count as confirmed; pass None for a new one
    member = Member(
        email=(email or f"member{n}@example.org").lower(),
        display_name=display_name,
        display_name_key=display_name_key(display_name),
        password_hash=_password_hash(),
        role=role,
        approved_posts=approved_posts,
        guidelines_accepted_at=utcnow(),
        **fields,
    )
    db.session.add(member)
    db.session.commit()
    return member


def make_group(
    *, name: str | None = None, slug: str | None = None, members: tuple[Member, ...] = (), **fields
) -> Group:
    n = next(_sequence)
    group = Group(name=name or f"Group {n}", slug=slug or f"group-{n}", description="A test group", **fields)
    db.session.add(group)
    db.session.flush()
    for member in members:
        db.session.add(GroupMembership(member_id=member.id, group_id=group.id))
    group.member_count = len(members)
    db.session.commit()
    return group


def make_topic(
    *,
    group: Group | None = None,
    author: Member | None = None,
    title: str | None = None,
    body: str = "Opening post",
    status: ContentStatus = ContentStatus.VISIBLE,
    **fields,
) -> Topic:
    """A topic with its opening post, counted in the group like the posting service does."""
    group = group or make_group()
    author = author or make_member()
    n = next(_sequence)
    topic = Topic(group=group, author=author, title=title or f"Topic {n}", slug=f"topic-{n}", status=status, **fields)
    post = Post(topic=topic, author=author, raw=body, cooked=cook(body), is_opening=True, status=status)
    db.session.add_all([topic, post])
    if status == ContentStatus.VISIBLE:
        group.topic_count += 1
        group.post_count += 1
        author.post_count += 1
    db.session.commit()
    return topic


def make_post(
    *,
    topic: Topic | None = None,
    author: Member | None = None,
    body: str = "A reply",
    status: ContentStatus = ContentStatus.VISIBLE,
) -> Post:
    topic = topic or make_topic()
    author = author or make_member()
    post = Post(topic=topic, author=author, raw=body, cooked=cook(body), status=status)
    db.session.add(post)
    if status == ContentStatus.VISIBLE:
        topic.reply_count += 1
        topic.last_activity_at = utcnow()
        topic.group.post_count += 1
        author.post_count += 1
    db.session.commit()
    return post


def make_conversation(
    author: Member, *others: Member, subject: str = "Hello", bodies: tuple[str, ...] = ("Hi there",)
) -> Conversation:
    """A conversation started by `author` with `others`, its messages all by `author`, read by the author only."""
    now = utcnow()
    conversation = Conversation(subject=subject, created_at=now, last_message_at=now)
    conversation.participants = [
        ConversationParticipant(member_id=member.id, joined_at=now) for member in (author, *others)
    ]
    db.session.add(conversation)
    db.session.flush()
    messages = [
        Message(conversation_id=conversation.id, author_id=author.id, raw=body, cooked=cook(body), created_at=now)
        for body in bodies
    ]
    db.session.add_all(messages)
    db.session.flush()
    conversation.message_count = len(messages)
    conversation.last_message_id = messages[-1].id if messages else 0
    conversation.participants[0].last_read_message_id = conversation.last_message_id
    db.session.commit()
    return conversation


def group_of(*members: Member) -> Group:
    """A group that all of `members` joined."""
    return make_group(members=members)


# Who is who in the role tables: factory arguments per role name.
ROLE_FIELDS: dict[str, dict] = {
    "member": {},
    "suspended": {"status": MemberStatus.SUSPENDED, "suspension_reason": "Testing"},
    "mentor": {"role": Role.MENTOR},
    "moderator": {"role": Role.MODERATOR},
    "staff": {"role": Role.STAFF},
    "admin": {"role": Role.ADMIN},
}


def member_for(role: str, **fields: object) -> Member | None:
    """A member of the named role (None for "visitor")."""
    return None if role == "visitor" else make_member(**{**ROLE_FIELDS[role], **fields})


def at(moment: datetime, obj: object) -> object:
    """Set an object's created_at and store it: the dashboard counts by the time things happened."""
    obj.created_at = moment  # type: ignore[attr-defined]
    db.session.commit()
    return obj


def reply_at(topic: Topic, author: Member, moment: datetime, **fields: object) -> Post:
    """A reply written at `moment` (counted as the factory counts it)."""
    return at(moment, make_post(topic=topic, author=author, **fields))  # type: ignore[return-value]


def newcomer_in(group: Group, name: str | None = None) -> Member:
    """A newcomer (posts held) who joined `group`."""
    member = make_member(display_name=name, approved_posts=0)
    db.session.add(GroupMembership(member_id=member.id, group_id=group.id))
    group.member_count += 1
    db.session.commit()
    return member


def held_reply(author: Member, topic: Topic, body: str = "Thank you all for the warm welcome.") -> ReviewItem:
    """A reply the review rules hold (the author must be a newcomer who joined the group); its open item."""
    posted = reply(author, topic, body)
    assert posted.held, posted.verdict
    item = open_item(posted.post)
    assert item is not None
    return item


def flagged_post(topic: Topic, flags: int = 1, reason: str = "spam", details: str = "", **post_fields: Any) -> Post:
    """A published post flagged by `flags` established members, each with the same reason."""
    post = make_post(topic=topic, **post_fields)
    for _ in range(flags):
        flag_post(make_member(), post, reason, details)
    db.session.expire_all()
    return post


# A member who has left traces in every corner of the site (the export and deletion tests).
NAME = "Quill Unique"
EMAIL = "quill.unique@example.org"
BIO = "Diagnosed in spring; bioword-sapphire."
MESSAGE = "messageword-obsidian, please keep this between us"
TOPIC_BODY = "**Opening** words by Quill: topicword-garnet"
REPLY_BODY = "A reply by Quill: replyword-topaz"
SUBJECT = "Between us, subjectword-jade"
FLAG_DETAILS = "flagword-onyx: this looks like spam to me"
BOOKMARK_NOTE = "bookmarkword-amber: ask my nurse about this"


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
            TopicRead(member_id=member.id, topic_id=others_topic.id, last_post_id=reply.id),
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
            Bookmark(member_id=member.id, topic_id=topic.id, post_id=others_reply.id, note=BOOKMARK_NOTE),
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


def make_event(
    *,
    title: str | None = None,
    starts_in: timedelta = timedelta(days=3),
    lasts: timedelta = timedelta(hours=1),
    timezone: str = "Europe/London",
    capacity: int | None = None,
    group: Group | None = None,
    kind: EventKind = EventKind.QA,
    online_url: str = "",
    location: str = "Community room, main hospital",
    description: str = "Bring your questions.",
    **fields,
) -> Event:
    """An event `starts_in` from now (negative: already started), open for replies."""
    n = next(_sequence)
    starts = fields.pop("starts_at", None) or utcnow().replace(second=0, microsecond=0) + starts_in
    event = Event(
        title=title or f"Event {n}",
        description=description,
        description_html=cook(description),
        kind=kind,
        host="Dr. Lee, cardiac rehab nurse",
        starts_at=starts,
        ends_at=fields.pop("ends_at", None) or starts + lasts,
        timezone=timezone,
        location=location,
        online_url=online_url,
        capacity=capacity,
        group_id=group.id if group else None,
        **fields,
    )
    db.session.add(event)
    db.session.commit()
    return event
