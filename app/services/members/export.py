"""A member's own data, read from the database on request: one small function per section.

`SECTIONS` lists them in the order of the export. `REFERENCES` says, for every column that points at members.id,
which section exports those rows or why they are not the member's to take: a test fails when a new table points
at members and nobody decided, so the export stays complete as the schema grows.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.models import (
    AnnouncementDismissal,
    Bookmark,
    Draft,
    Event,
    EventRsvp,
    Flag,
    Group,
    GroupMembership,
    HelpfulMark,
    LoginSession,
    MailReply,
    Member,
    MemberIdentity,
    Notification,
    OutboxMessage,
    Passkey,
    Picture,
    Post,
    Topic,
    TopicRead,
)
from app.models.follow import GroupFollow, TopicFollow
from app.models.mentoring import CheckIn, Welcome
from app.models.messages import Block, Conversation, ConversationParticipant, Message, MessageReport
from app.models.notification import DigestSent, NotificationPreference
from app.models.revisions import PostRevision
from app.models.two_factor import RecoveryCode, TotpSecret
from app.services.pictures.files import belongs_to
from app.services.questions.members_data import exported_questions, exported_votes

Row = dict[str, Any]
# The password hash is a secret even from its owner; the name key is an internal copy of the display name.
MEMBER_COLUMNS_LEFT_OUT = frozenset({"password_hash", "display_name_key"})


def _rows(query: Any, *fields: str) -> list[Row]:
    """Plain dicts of the chosen columns: JSON needs no ORM objects, and only named fields ever leave."""
    return [{name: getattr(row, name) for name in fields} for row in db.session.execute(query)]


def profile(member: Member) -> Row:
    """Every column of their member row, so a column added later is exported too; secrets and internals aside."""
    return {
        column.name: getattr(member, column.key)
        for column in Member.__table__.columns
        if column.name not in MEMBER_COLUMNS_LEFT_OUT
    }


def settings(member: Member) -> Row:
    preferences = select(NotificationPreference.kind, NotificationPreference.delivery).where(
        NotificationPreference.member_id == member.id
    )
    return {
        "profile_visibility": member.profile_visibility,
        "staff_may_repost_my_public_posts": member.repost_consent,
        "reposts_carry_my_display_name": member.repost_name_consent,
        "guidelines_version_accepted": member.guidelines_version,
        "guidelines_accepted_at": member.guidelines_accepted_at,
        "notification_preferences": _rows(preferences.order_by(NotificationPreference.kind), "kind", "delivery"),
    }


def login_sessions(member: Member) -> list[Row]:
    names = ("created_at", "last_used_at", "browser", "platform", "confirmed_at")  # never the token's hash
    query = select(*(getattr(LoginSession, name) for name in names)).where(LoginSession.member_id == member.id)
    return _rows(query.order_by(LoginSession.id), *names)


def groups(member: Member) -> list[Row]:
    query = (
        select(Group.name, Group.slug, GroupMembership.joined_at)
        .join(GroupMembership, GroupMembership.group_id == Group.id)
        .where(GroupMembership.member_id == member.id)
    )
    return _rows(query.order_by(Group.name), "name", "slug", "joined_at")


def topics(member: Member) -> list[Row]:
    query = select(Topic.id, Topic.title, Group.name.label("group"), Topic.status, Topic.created_at).join(Topic.group)
    return _rows(
        query.where(Topic.author_id == member.id).order_by(Topic.id), "id", "title", "group", "status", "created_at"
    )


def posts(member: Member) -> list[Row]:
    query = (
        select(Post.id, Post.topic_id, Topic.title.label("topic_title"), Post.is_opening, Post.raw, Post.status)
        .add_columns(Post.created_at, Post.edited_at, Post.helpful_count)
        .join(Post.topic)
        .where(Post.author_id == member.id)
        .order_by(Post.id)
    )
    fields = ("id", "topic_id", "topic_title", "is_opening", "raw", "status", "created_at", "edited_at")
    return _rows(query, *fields, "helpful_count")


def post_revisions(member: Member) -> list[Row]:
    """Every kept version of their posts, erased ones as empty rows (who edited: themselves, or a moderator)."""
    query = (
        select(PostRevision.post_id, PostRevision.number, PostRevision.created_at, PostRevision.title)
        .add_columns(PostRevision.raw, PostRevision.reason, PostRevision.redacted_at)
        .add_columns((PostRevision.editor_id == member.id).label("edited_by_author"))
        .join(Post, Post.id == PostRevision.post_id)
        .where(Post.author_id == member.id)
        .order_by(PostRevision.post_id, PostRevision.number)
    )
    fields = ("post_id", "number", "created_at", "title", "raw", "reason", "redacted_at")
    rows = _rows(query, *fields, "edited_by_author")
    return [{**row, "edited_by_author": bool(row["edited_by_author"])} for row in rows]


def messages(member: Member) -> list[Row]:
    """Messages they wrote (not what others wrote to them: those words are the other members')."""
    query = (
        select(Message.id, Message.conversation_id, Conversation.subject, Message.raw, Message.created_at)
        .add_columns(Message.removed_at)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.author_id == member.id)
        .order_by(Message.id)
    )
    return _rows(query, "id", "conversation_id", "subject", "raw", "created_at", "removed_at")


def conversations(member: Member) -> list[Row]:
    query = (
        select(
            Conversation.id, Conversation.subject, ConversationParticipant.joined_at, ConversationParticipant.left_at
        )
        .join(ConversationParticipant, ConversationParticipant.conversation_id == Conversation.id)
        .where(ConversationParticipant.member_id == member.id)
        .order_by(Conversation.id)
    )
    return _rows(query, "id", "subject", "joined_at", "left_at")


def blocks(member: Member) -> list[Row]:
    query = (
        select(Member.display_name.label("blocked"), Block.created_at)
        .join(Block, Block.blocked_id == Member.id)
        .where(Block.blocker_id == member.id)
    )
    return _rows(query.order_by(Block.created_at), "blocked", "created_at")


def follows(member: Member) -> Row:
    topic_query = (
        select(Topic.id, Topic.title, TopicFollow.muted, TopicFollow.created_at)
        .join(TopicFollow, TopicFollow.topic_id == Topic.id)
        .where(TopicFollow.member_id == member.id)
        .order_by(Topic.id)
    )
    group_query = (
        select(Group.name, Group.slug, GroupFollow.created_at)
        .join(GroupFollow, GroupFollow.group_id == Group.id)
        .where(GroupFollow.member_id == member.id)
        .order_by(Group.name)
    )
    return {
        "topics": _rows(topic_query, "id", "title", "muted", "created_at"),
        "groups": _rows(group_query, "name", "slug", "created_at"),
    }


def read_positions(member: Member) -> list[Row]:
    """How far they have read each topic they opened: the newest post they were shown, and when."""
    query = (
        select(Topic.id.label("topic_id"), Topic.title, TopicRead.last_post_id, TopicRead.read_at)
        .join(TopicRead, TopicRead.topic_id == Topic.id)
        .where(TopicRead.member_id == member.id)
        .order_by(Topic.id)
    )
    return _rows(query, "topic_id", "title", "last_post_id", "read_at")


def helpful_marks_given(member: Member) -> list[Row]:
    query = select(HelpfulMark.post_id, HelpfulMark.created_at).where(HelpfulMark.member_id == member.id)
    return _rows(query.order_by(HelpfulMark.created_at), "post_id", "created_at")


def reports_filed(member: Member) -> Row:
    flag_query = select(Flag.post_id, Flag.reason, Flag.details, Flag.created_at).where(Flag.member_id == member.id)
    report_query = select(
        MessageReport.message_id, MessageReport.reason, MessageReport.details, MessageReport.created_at
    ).where(MessageReport.reporter_id == member.id)
    return {
        "post_flags": _rows(flag_query.order_by(Flag.id), "post_id", "reason", "details", "created_at"),
        "message_reports": _rows(
            report_query.order_by(MessageReport.id), "message_id", "reason", "details", "created_at"
        ),
    }


def notifications(member: Member) -> list[Row]:
    query = select(Notification.kind, Notification.message, Notification.link, Notification.created_at).add_columns(
        Notification.read_at
    )
    query = query.where(Notification.member_id == member.id).order_by(Notification.id)
    return _rows(query, "kind", "message", "link", "created_at", "read_at")


def email(member: Member) -> Row:
    """Mail the site wrote to them (the outbox), the days a digest went out, and what became of their replies by
    e-mail (the replies themselves are among their posts and messages)."""
    mail = select(OutboxMessage.subject, OutboxMessage.status, OutboxMessage.created_at, OutboxMessage.sent_at)
    digests = select(DigestSent.day).where(DigestSent.member_id == member.id).order_by(DigestSent.day)
    replies = select(MailReply.outcome, MailReply.answered, MailReply.received_at).where(
        MailReply.member_id == member.id
    )
    return {
        "messages": _rows(
            mail.where(OutboxMessage.to_address == member.email).order_by(OutboxMessage.id),
            "subject",
            "status",
            "created_at",
            "sent_at",
        ),
        "digest_days": [row.day for row in db.session.execute(digests)],
        "replies_by_email": _rows(replies.order_by(MailReply.id), "outcome", "answered", "received_at"),
    }


def bookmarks(member: Member) -> list[Row]:
    """What they kept and their private notes; the kept post's or topic's id, never others' words."""
    query = select(
        Bookmark.topic_id, Bookmark.post_id, Bookmark.note, Bookmark.remind_at, Bookmark.reminded_at
    ).add_columns(Bookmark.created_at)
    query = query.where(Bookmark.member_id == member.id).order_by(Bookmark.id)
    return _rows(query, "topic_id", "post_id", "note", "remind_at", "reminded_at", "created_at")


def event_replies(member: Member) -> list[Row]:
    """The events they said they are going to or waiting for, with the event's title and start."""
    query = (
        select(EventRsvp.event_id, Event.title, Event.starts_at, EventRsvp.status, EventRsvp.created_at)
        .join(Event, Event.id == EventRsvp.event_id)
        .add_columns(EventRsvp.promoted_at, EventRsvp.reminded_24h_at, EventRsvp.reminded_1h_at)
        .where(EventRsvp.member_id == member.id)
        .order_by(EventRsvp.id)
    )
    times = ("created_at", "promoted_at", "reminded_24h_at", "reminded_1h_at")
    return _rows(query, "event_id", "title", "starts_at", "status", *times)


def drafts(member: Member) -> list[Row]:
    """Their unsent writing, expired drafts included until the clean-up removes them."""
    query = select(Draft.kind, Draft.target_id, Draft.title, Draft.recipients, Draft.body, Draft.saved_at)
    query = query.where(Draft.member_id == member.id).order_by(Draft.id)
    return _rows(query, "kind", "target_id", "title", "recipients", "body", "saved_at")


def pictures(member: Member) -> list[Row]:
    """Pictures they attached, each with what it belongs to and its file in the ZIP (pictures/...)."""
    query = select(Picture).where(Picture.owner_id == member.id).order_by(Picture.id)
    return [
        {
            "id": picture.id,
            "belongs_to": belongs_to(picture),
            "description": picture.alt,
            "file": f"pictures/picture-{picture.id}.{picture.extension}",
            "width": picture.width,
            "height": picture.height,
            "created_at": picture.created_at,
        }
        for picture in db.session.scalars(query)
    ]


def passkeys(member: Member) -> list[Row]:
    """The passkeys they added, by name and dates; never the keys, which only open the account."""
    query = select(Passkey.name, Passkey.passwordless, Passkey.created_at, Passkey.last_used_at)
    query = query.where(Passkey.member_id == member.id).order_by(Passkey.id)
    return _rows(query, "name", "passwordless", "created_at", "last_used_at")


def two_factor(member: Member) -> Row:
    """Whether two-factor sign-in is on, and since when: never the secret, nor the recovery codes."""
    row = db.session.get(TotpSecret, member.id)
    confirmed = row.confirmed_at if row is not None else None
    unused = select(RecoveryCode.id).where(RecoveryCode.member_id == member.id, RecoveryCode.used_at.is_(None))
    return {
        "enabled": confirmed is not None,
        "enabled_at": confirmed,
        "recovery_codes_left": len(db.session.scalars(unused).all()) if confirmed else 0,
    }


def identities(member: Member) -> list[Row]:
    """The organisation's sign-in linked to the account: which provider, the member's id there, and when."""
    query = select(
        MemberIdentity.issuer, MemberIdentity.subject, MemberIdentity.created_at, MemberIdentity.last_used_at
    ).add_columns(MemberIdentity.granted_role)
    query = query.where(MemberIdentity.member_id == member.id).order_by(MemberIdentity.id)
    return _rows(query, "issuer", "subject", "created_at", "last_used_at", "granted_role")


def mentoring(member: Member) -> Row:
    """A mentor's own work on others' posts, by post id and time (never the posts' words nor their authors), and
    the check-ins mentors recorded on the member themselves (when and how, not by whom)."""
    claimed = select(Welcome.post_id, Welcome.claimed_at).where(Welcome.claimed_by_id == member.id)
    welcomed = select(Welcome.post_id, Welcome.welcomed_at).where(Welcome.welcomed_by_id == member.id)
    made = select(CheckIn.post_id, CheckIn.how, CheckIn.checked_at).where(CheckIn.checked_by_id == member.id)
    received = select(CheckIn.post_id, CheckIn.how, CheckIn.checked_at).where(CheckIn.member_id == member.id)
    return {
        "welcomes_claimed": _rows(claimed.order_by(Welcome.id), "post_id", "claimed_at"),
        "welcomes_given": _rows(welcomed.order_by(Welcome.id), "post_id", "welcomed_at"),
        "check_ins_made": _rows(made.order_by(CheckIn.id), "post_id", "how", "checked_at"),
        "check_ins_on_me": _rows(received.order_by(CheckIn.id), "post_id", "how", "checked_at"),
    }


def dismissed_announcements(member: Member) -> list[int]:
    query = select(AnnouncementDismissal.announcement_id).where(AnnouncementDismissal.member_id == member.id)
    return list(db.session.scalars(query.order_by(AnnouncementDismissal.announcement_id)))


SECTIONS: dict[str, Callable[[Member], Any]] = {
    "profile": profile,
    "settings": settings,
    "login_sessions": login_sessions,
    "two_factor": two_factor,
    "groups": groups,
    "topics": topics,
    "posts": posts,
    "post_revisions": post_revisions,
    "messages": messages,
    "conversations": conversations,
    "blocks": blocks,
    "follows": follows,
    "read_positions": read_positions,
    "helpful_marks_given": helpful_marks_given,
    "reports_filed": reports_filed,
    "notifications": notifications,
    "email": email,
    "dismissed_announcements": dismissed_announcements,
    "bookmarks": bookmarks,
    "event_replies": event_replies,
    "drafts": drafts,
    "pictures": pictures,
    "passkeys": passkeys,
    "identities": identities,
    "event_questions": exported_questions,
    "event_question_votes": exported_votes,
    "mentoring": mentoring,
}

EXPORTED = "exported"
# "table.column" -> the section that exports rows pointing at the member, or why those rows are not theirs.
REFERENCES: dict[str, str] = {
    "login_sessions.member_id": EXPORTED,
    "mail_replies.member_id": EXPORTED,
    "group_memberships.member_id": EXPORTED,
    "topics.author_id": EXPORTED,
    "posts.author_id": EXPORTED,
    "messages.author_id": EXPORTED,
    "conversation_participants.member_id": EXPORTED,
    "member_blocks.blocker_id": EXPORTED,
    "topic_follows.member_id": EXPORTED,
    "group_follows.member_id": EXPORTED,
    "topic_reads.member_id": EXPORTED,
    "helpful_marks.member_id": EXPORTED,
    "flags.member_id": EXPORTED,
    "message_reports.reporter_id": EXPORTED,
    "notifications.member_id": EXPORTED,
    "notification_preferences.member_id": EXPORTED,
    "digests_sent.member_id": EXPORTED,
    "announcement_dismissals.member_id": EXPORTED,
    "bookmarks.member_id": EXPORTED,
    "event_rsvps.member_id": EXPORTED,
    "event_calendar_feeds.member_id": "the random key of their private calendar address, replaced on reset",
    "events.created_by_id": "staff configuration",
    "drafts.member_id": EXPORTED,
    "pictures.owner_id": EXPORTED,
    "passkeys.member_id": EXPORTED,
    "member_identities.member_id": EXPORTED,
    "event_questions.author_id": EXPORTED,
    "event_question_votes.member_id": EXPORTED,
    "event_questions.decided_by_id": "moderation work on others' questions",
    "event_questions.answered_by_id": "staff's answers to others' questions (answers to theirs are exported)",
    "welcomes.claimed_by_id": EXPORTED,
    "welcomes.welcomed_by_id": EXPORTED,
    "check_ins.checked_by_id": EXPORTED,
    "check_ins.member_id": EXPORTED,
    "member_blocks.blocked_id": "another member's choice to block them",
    "helpful_marks.receiver_id": "other members' marks (the count is in the profile)",
    "messages.removed_by_id": "moderation work on others' messages",
    "message_reports.decided_by_id": "moderation work on others' reports",
    "review_items.decided_by_id": "moderation work on others' posts",
    "review_events.actor_id": "moderation work on others' posts",
    "audit_events.actor_id": "the audit log, kept for the community's safety",
    "watched_words.created_by_id": "staff configuration",
    "moderator_scopes.member_id": "staff configuration",
    "resources.created_by_id": "staff configuration",
    "guidelines_versions.created_by_id": "staff configuration",
    "announcements.created_by_id": "staff configuration",
    "webhooks.created_by_id": "staff configuration",
    "nudge_phrases.created_by_id": "staff configuration",
    "post_revisions.editor_id": "their own edits are exported with their posts; others' posts are moderation work",
    "post_revisions.redacted_by_id": "only authors erase versions: exported with their posts' versions",
    "passkey_challenges.member_id": "sign-in bookkeeping (a digest of a random challenge), gone within minutes",
    "totp_secrets.member_id": "exported as whether two-factor is on; the secret itself is never shown again",
    "recovery_codes.member_id": "exported as a count; the codes are stored hashed, and are secrets",
    "form_submissions.member_id": "double-submit bookkeeping (random keys or hashes, no text), deleted after 2 days",
    "email_login_links.member_id": "unused sign-in links (a hash of a random value, no text), gone once used or stale",
}


def export_data(member: Member, target: Member) -> dict[str, Any]:
    """Everything the member gave or the site keeps about them: only ever for themselves."""
    permissions.ensure(member, "export_account", target)
    return {"format": "kindred-export/1", **{name: section(target) for name, section in SECTIONS.items()}}


def _plain(value: Any) -> Any:
    """JSON's view of our values: enums by value, moments as ISO 8601."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, default=_plain, ensure_ascii=False, indent=2).encode()
