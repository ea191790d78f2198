"""Private messages: starting conversations, replying, reading, leaving, and blocking members.

Each function validates, asks the permission module, writes and commits. Message bodies are never logged and never
put in a notification: a notice says who wrote, not what.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models import ContentStatus, FormSubmission, Member, MemberStatus, Post, Role, Topic
from app.models.base import utcnow
from app.models.messages import Block, Conversation, ConversationParticipant, Message
from app.services import Checks, ServiceError
from app.services.common import submissions
from app.services.common.audit import notify
from app.services.common.cleaning import clean_text
from app.services.common.submissions import REPEAT_WINDOW
from app.services.drafts.drafts import forget_draft
from app.services.drafts.places import Place
from app.services.members.identity import display_name_key
from app.services.members.trust import is_trusted
from app.services.messages.repeats import refuse_repeat, reply_repeat_key, still_sent
from app.services.moderation.settings import get_int
from app.services.pictures.uploads import Prepared, Upload, attach_pictures, kept_only_if_committed, prepare_pictures
from app.text.rendering import cook

SUBJECT_MAX = 200
MESSAGE_MAX = 10_000
RECIPIENTS_MAX = 10
RECIPIENTS_FIELD_MAX = 1000
# Newer members may always write to the people whose job is to help them.
ALWAYS_REACHABLE_ROLES = frozenset({Role.MENTOR, Role.MODERATOR, Role.STAFF, Role.ADMIN})


def clean_subject(subject: str) -> str:
    """An optional subject, stored like a topic title: single spaces, none at the ends."""
    if "\x00" in subject:
        raise ServiceError(_("The subject contains a character that cannot be stored (NUL)."), "subject")
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_MAX:
        raise ServiceError(_("Subjects can be at most %(limit)d characters.", limit=SUBJECT_MAX), "subject")
    return subject


def clean_message(body: str) -> str:
    """A message body: not empty, not too long, storable."""
    return clean_text(body, limit=MESSAGE_MAX, empty=_("Please write your message."), noun="Messages")


def _shown(name: str) -> str:
    """A name as typed, short enough to quote back in an error."""
    return name if len(name) <= 40 else name[:39] + "…"


def find_recipients(sender: Member, names: str) -> list[Member]:
    """The members named (display names, separated by commas), or a ServiceError saying which name is wrong."""
    if "\x00" in names or len(names) > RECIPIENTS_FIELD_MAX:
        raise ServiceError(_("Please list at most ten display names, separated by commas."), "to")
    # Arabic keyboards type "،" for a comma; display names can hold neither.
    wanted = [" ".join(part.split()) for part in re.split("[,،]", names)]
    wanted = [name for name in wanted if name]
    if not wanted:
        raise ServiceError(_("Please name at least one member to write to."), "to")
    if len(wanted) > RECIPIENTS_MAX:
        raise ServiceError(_("A conversation can include at most %(limit)d other members.", limit=RECIPIENTS_MAX), "to")
    keys = [display_name_key(name)[:160] for name in wanted]
    found = {m.display_name_key: m for m in db.session.scalars(select(Member).where(Member.display_name_key.in_(keys)))}
    recipients, seen = [], set()
    for name, key in zip(wanted, keys, strict=True):
        member = found.get(key)
        if key in seen:
            raise ServiceError(_("You named “%(name)s” more than once.", name=_shown(name)), "to")
        seen.add(key)
        if member is None:
            raise ServiceError(
                _("There is no member called “%(name)s”. Check the spelling of the name.", name=_shown(name)), "to"
            )
        if member.status == MemberStatus.DELETED:
            raise ServiceError(
                _("“%(name)s” is no longer a member, so they cannot receive messages.", name=_shown(name)), "to"
            )
        if member.id == sender.id:
            raise ServiceError(_("You cannot send a message to yourself."), "to")
        recipients.append(member)
    return recipients


def block_refusal(sender: Member, others: list[Member]) -> str | None:
    """Why `sender` may not write to these members because of a block either way (None: no block)."""
    ids = [m.id for m in others]
    if not ids:
        return None
    rows = db.session.execute(
        select(Block.blocker_id, Block.blocked_id).where(
            or_(
                and_(Block.blocker_id == sender.id, Block.blocked_id.in_(ids)),
                and_(Block.blocked_id == sender.id, Block.blocker_id.in_(ids)),
            )
        )
    ).all()
    names = {m.id: m.display_name for m in others}
    mine = sorted(blocked_id for blocker_id, blocked_id in rows if blocker_id == sender.id)
    if mine:
        return _("You blocked %(name)s. Unblock them first if you want to write to them.", name=names[mine[0]])
    theirs = sorted(blocker_id for blocker_id, _ in rows if blocker_id != sender.id)
    if theirs:
        # No more than the sender needs to know: this person does not take their messages.
        return f"{names[theirs[0]]} is not accepting messages from you."
    return None


def has_interacted(member_id: int, other_id: int) -> bool:
    """Have these two talked before: a published reply by one in the other's topic, or a message from `other` in
    a conversation `member` is part of (the other wrote to them first)?"""
    replied = (
        select(Post.id)
        .join(Topic, Topic.id == Post.topic_id)
        .where(
            Post.status == ContentStatus.VISIBLE,
            ~Post.is_opening,
            or_(
                and_(Post.author_id == other_id, Topic.author_id == member_id),
                and_(Post.author_id == member_id, Topic.author_id == other_id),
            ),
        )
    )
    theirs = select(ConversationParticipant.conversation_id).where(ConversationParticipant.member_id == member_id)
    wrote_first = select(Message.id).where(Message.author_id == other_id, Message.conversation_id.in_(theirs))
    return bool(db.session.scalar(select(or_(exists(replied), exists(wrote_first)))))


def cold_message_refusal(sender: Member, recipients: list[Member]) -> str | None:
    """Anti-spam: a member not yet trusted starts conversations only with people they have talked with."""
    if is_trusted(sender):
        return None
    strangers = [
        m.display_name
        for m in recipients
        if m.role not in ALWAYS_REACHABLE_ROLES and not has_interacted(sender.id, m.id)
    ]
    if not strangers:
        return None
    return _(
        "You haven't talked with %(names)s yet. While you are new here, you can start a conversation "
        "only with someone who replied in one of your topics, in whose topic you replied, or who messaged you "
        "first, and with mentors, moderators and staff at any time. This keeps private messages free of spam; "
        "the limit lifts once %(count)d of your posts have been published.",
        names=", ".join(strangers),
        count=get_int("trusted_after_posts"),
    )


def start_conversation(
    sender: Member, to: str, subject: str, body: str, pictures: Sequence[Upload] = ()
) -> Conversation:
    """Open a conversation between the sender and the members named, with its first message (and pictures)."""
    permissions.ensure(sender, "start_conversation", None)
    checks = Checks()  # every field's problem at once: the member fixes them in one go
    recipients: list[Member] = checks.run(lambda: find_recipients(sender, to), [])
    subject = checks.run(lambda: clean_subject(subject), "")
    body = checks.run(lambda: clean_message(body), "")
    prepared: list[Prepared] = checks.run(lambda: prepare_pictures(pictures), [])
    checks.settle()
    for refusal in (block_refusal(sender, recipients), cold_message_refusal(sender, recipients)):
        if refusal is not None:
            raise ServiceError(refusal, "to")
    people = sorted(m.id for m in (sender, *recipients))
    refuse_repeat(sender, body, started_with=(subject, people))
    same = submissions.repeat_key(f"conversation-{'-'.join(map(str, people))}-{subject}", body, REPEAT_WINDOW)
    claimed = submissions.claim(sender, None, "message", same, still_sent)  # the first write: a twin stops here
    now = utcnow()
    conversation = Conversation(subject=subject, created_at=now, last_message_at=now)
    conversation.participants = [
        ConversationParticipant(member_id=member.id, joined_at=now) for member in (sender, *recipients)
    ]
    db.session.add(conversation)
    db.session.flush()
    forget_draft(sender, Place("message"))  # in the same transaction, which _add_message commits
    _add_message(sender, conversation.id, body, now, [m.id for m in recipients], prepared, claimed)
    return conversation


def send_message(sender: Member, place: ConversationParticipant, body: str, pictures: Sequence[Upload] = ()) -> Message:
    """Reply in a conversation the sender takes part in (with pictures, seen by its participants only)."""
    permissions.ensure(sender, "write_message", place)
    body = clean_message(body)
    prepared = prepare_pictures(pictures)
    others = list(
        db.session.scalars(
            select(Member)
            .join(ConversationParticipant, ConversationParticipant.member_id == Member.id)
            .where(
                ConversationParticipant.conversation_id == place.conversation_id,
                ConversationParticipant.left_at.is_(None),
                Member.id != sender.id,
            )
        )
    )
    if not others:
        raise ServiceError(_("Everyone else has left this conversation, so nobody would read your message."), "body")
    if (refusal := block_refusal(sender, others)) is not None:
        raise ServiceError(refusal, "body")
    latest = refuse_repeat(sender, body, conversation_id=place.conversation_id)
    same = reply_repeat_key(place.conversation_id, body, latest)
    claimed = submissions.claim(sender, None, "message", same, still_sent)  # the first write: a twin stops here
    forget_draft(sender, Place("conversation", place.conversation_id))  # committed with the message
    return _add_message(sender, place.conversation_id, body, utcnow(), [m.id for m in others], prepared, claimed)


def _add_message(
    sender: Member,
    conversation_id: int,
    body: str,
    now: datetime,
    readers: list[int],
    pictures: list[Prepared],
    claimed: tuple[FormSubmission, ...],
) -> Message:
    """Store the message and its pictures, move the conversation's counters, tell the other participants, commit."""
    message = Message(conversation_id=conversation_id, author_id=sender.id, raw=body, cooked=cook(body), created_at=now)
    db.session.add(message)
    db.session.flush()
    with kept_only_if_committed(attach_pictures(sender, pictures, message_id=message.id)):
        _count_and_tell(sender, conversation_id, message, now, readers)
        submissions.settle(claimed, message.id)
        db.session.commit()
    return message


def _count_and_tell(sender: Member, conversation_id: int, message: Message, now: datetime, readers: list[int]) -> None:
    db.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(message_count=Conversation.message_count + 1, last_message_id=message.id, last_message_at=now)
    )
    db.session.execute(
        update(ConversationParticipant)
        .where(
            ConversationParticipant.conversation_id == conversation_id, ConversationParticipant.member_id == sender.id
        )
        .values(last_read_message_id=message.id)
    )
    link = url_for("messages.conversation", conversation_id=conversation_id, _anchor=f"m{message.id}")
    for member_id in readers:
        notify(
            member_id,
            "message",
            lazy_gettext("%(name)s sent you a private message", name=sender.display_name),
            link,
            conversation_id=conversation_id,
        )


def mark_read(place: ConversationParticipant) -> None:
    """The participant has seen everything up to the conversation's latest message."""
    latest = place.conversation.last_message_id
    if place.last_read_message_id < latest:
        db.session.execute(
            update(ConversationParticipant)
            .where(
                ConversationParticipant.conversation_id == place.conversation_id,
                ConversationParticipant.member_id == place.member_id,
                ConversationParticipant.last_read_message_id < latest,
            )
            .values(last_read_message_id=latest)
        )
        db.session.commit()


def leave_conversation(member: Member, place: ConversationParticipant) -> None:
    """Leave for good: the conversation disappears from the member's list and sends them nothing more."""
    permissions.ensure(member, "read_conversation", place)
    place.left_at = utcnow()
    db.session.commit()


def block_member(member: Member, target: Member) -> None:
    """From now on `target` cannot message `member` nor include them in a conversation."""
    permissions.ensure(member, "block_member", target)
    if is_blocked(member.id, target.id):
        return
    db.session.add(Block(blocker_id=member.id, blocked_id=target.id))
    try:
        db.session.commit()
    except IntegrityError:  # the same block sent twice at once: one row is all we want
        db.session.rollback()


def unblock_member(member: Member, target: Member) -> None:
    """Lift a block; nothing happens when there was none."""
    db.session.execute(delete(Block).where(Block.blocker_id == member.id, Block.blocked_id == target.id))
    db.session.commit()


def is_blocked(blocker_id: int, blocked_id: int) -> bool:
    """Has `blocker_id` blocked `blocked_id`?"""
    query = select(Block.blocker_id).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    return db.session.scalar(query) is not None
