"""The same private message sent twice (the Back button and a second click, with a fresh form): stored once.

Like posts (app.services.community.posting), a repeat is the same words from the same member to the same place
within REPEAT_WINDOW, and the member is sent to the message already there, never to one they can no longer see.
"""

from __future__ import annotations

from sqlalchemy import and_, select

from app.extensions import db
from app.models import Member
from app.models.base import utcnow
from app.models.messages import ConversationParticipant, Message
from app.services.common import submissions
from app.services.common.submissions import REPEAT_WINDOW, DuplicateSubmission


def refuse_repeat(
    sender: Member,
    body: str,
    *,
    conversation_id: int | None = None,
    started_with: tuple[str, list[int]] | None = None,
) -> int | None:
    """The same words from the sender a moment ago to this conversation, or, for a new one, to a conversation with
    this subject between exactly these people (`started_with`: the subject and the sorted ids, the sender's too):
    DuplicateSubmission names the message already there, and nothing is stored twice. Only a message the sender
    still sees counts (not removed, not in a conversation they left). Else the id of the sender's latest message
    there: twins sent at the same moment saw the same one (see `reply_repeat_key`)."""
    query = (
        select(Message)
        .join(
            ConversationParticipant,
            and_(
                ConversationParticipant.conversation_id == Message.conversation_id,
                ConversationParticipant.member_id == sender.id,
            ),
        )
        .where(
            Message.author_id == sender.id,
            Message.created_at > utcnow() - REPEAT_WINDOW,
            Message.removed_at.is_(None),
            ConversationParticipant.left_at.is_(None),
        )
    )
    if conversation_id is not None:
        query = query.where(Message.conversation_id == conversation_id)
    last = db.session.scalar(query.order_by(Message.id.desc()).limit(1))
    if last is None or last.raw != body or (started_with is not None and not _between(last, *started_with)):
        return last.id if last is not None else None
    raise DuplicateSubmission("message", last.id)


def reply_repeat_key(conversation_id: int, body: str, latest: int | None) -> str:
    """What twins of a reply share: the same words after the same latest message. So "ok", "see you", "ok" a minute
    apart are three messages, while the same words sent twice at once are one."""
    return submissions.repeat_key(f"message-{conversation_id}-after-{latest}", body, REPEAT_WINDOW)


def _between(message: Message, subject: str, people: list[int]) -> bool:
    """Is this message in a conversation with this subject between exactly these people (the same new one)?"""
    conversation = message.conversation
    return conversation.subject == subject and sorted(p.member_id for p in conversation.participants) == people


def still_sent(message_id: int) -> bool:
    """Is this earlier message still there for its sender (not removed, and they have not left its conversation)?"""
    query = (
        select(Message.id)
        .join(
            ConversationParticipant,
            and_(
                ConversationParticipant.conversation_id == Message.conversation_id,
                ConversationParticipant.member_id == Message.author_id,
            ),
        )
        .where(Message.id == message_id, Message.removed_at.is_(None), ConversationParticipant.left_at.is_(None))
    )
    return db.session.scalar(query) is not None
