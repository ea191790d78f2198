"""Loaders and lists for the private messages: each page issues a fixed, small number of statements."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import and_, func, select
from sqlalchemy.orm import contains_eager, joinedload

from app.community.queries import MAX_ID
from app.extensions import db
from app.models import Member
from app.models.messages import (
    Block,
    Conversation,
    ConversationParticipant,
    Message,
    MessageReport,
    MessageReportStatus,
)
from app.web.pagination import Page, requested_page


def _mine(member: Member):  # noqa: ANN202
    return select(ConversationParticipant).where(
        ConversationParticipant.member_id == member.id, ConversationParticipant.left_at.is_(None)
    )


def conversation_page(member: Member, per_page: int) -> tuple[list[ConversationParticipant], Page]:
    """The requested page of the member's conversations, latest activity first, each with its participants' names,
    and the page arithmetic: the total comes with the rows (a window count), so no separate count statement."""
    number = requested_page()
    query = (
        _mine(member)
        .join(ConversationParticipant.conversation)
        .options(
            contains_eager(ConversationParticipant.conversation)
            .selectinload(Conversation.participants)
            .joinedload(ConversationParticipant.member)
        )
        .add_columns(func.count().over().label("total"))
        .order_by(Conversation.last_message_id.desc(), Conversation.id.desc())
        .offset((number - 1) * per_page)
        .limit(per_page)
    )
    rows = db.session.execute(query).all()
    page = Page(number, per_page, rows[0].total if rows else 0).ensure_exists()  # past the end: 404
    return [row[0] for row in rows], page


@dataclass(frozen=True)
class People:
    """The reader's own place in a conversation, and everyone in it with whether the reader blocked them."""

    place: ConversationParticipant
    everyone: list[tuple[ConversationParticipant, bool]]


def people_or_404(conversation_id: int, member: Member) -> People:
    """Everyone in the conversation, with the conversation, in one statement; 404 unless `member` is one of them
    (whoever else asks, moderators and staff included)."""
    if not 0 < conversation_id <= MAX_ID:
        abort(404)
    blocked = Block.blocker_id.is_not(None).label("blocked")
    rows = db.session.execute(
        select(ConversationParticipant, blocked)
        .options(joinedload(ConversationParticipant.member), joinedload(ConversationParticipant.conversation))
        .outerjoin(Block, and_(Block.blocker_id == member.id, Block.blocked_id == ConversationParticipant.member_id))
        .where(ConversationParticipant.conversation_id == conversation_id)
        .order_by(ConversationParticipant.joined_at, ConversationParticipant.member_id)
    ).all()
    everyone = [(row[0], bool(row[1])) for row in rows]
    place = next((p for p, _ in everyone if p.member_id == member.id), None)
    if place is None:
        abort(404)
    return People(place, everyone)


def conversation_messages(conversation_id: int, offset: int, limit: int) -> list[Message]:
    """One page of a conversation's messages, oldest first, authors and pictures loaded in the same statement."""
    return list(
        db.session.scalars(
            select(Message)
            .options(joinedload(Message.author), joinedload(Message.pictures))
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.id)
            .offset(offset)
            .limit(limit)
        ).unique()
    )


def message_in(place: ConversationParticipant, message_id: int) -> Message:
    """A message of this conversation, else 404 (whether it exists elsewhere is nobody's business)."""
    if not 0 < message_id <= MAX_ID:
        abort(404)
    message = db.session.get(Message, message_id)
    if message is None or message.conversation_id != place.conversation_id:
        abort(404)
    return message


def conversation_of(message_id: int | None) -> int | None:
    """The conversation a message is in (for sending its author back to it), or None."""
    if message_id is None:
        return None
    return db.session.scalar(select(Message.conversation_id).where(Message.id == message_id))


def blocked_members(member: Member) -> list[Member]:
    """The members this member has blocked, by name."""
    query = select(Member).join(Block, Block.blocked_id == Member.id).where(Block.blocker_id == member.id)
    return list(db.session.scalars(query.order_by(Member.display_name_key)))


def open_message_reports(limit: int = 50) -> list[MessageReport]:
    """Open reports, oldest first, each with its one message and author, and the reporter (one statement)."""
    return list(
        db.session.scalars(
            select(MessageReport)
            .options(
                joinedload(MessageReport.message).joinedload(Message.author),
                joinedload(MessageReport.reporter),
            )
            .where(MessageReport.status == MessageReportStatus.OPEN)
            .order_by(MessageReport.created_at, MessageReport.id)
            .limit(limit)
        )
    )


def find_member(member_id: int) -> Member:
    """A member by id for blocking and prefilling, else 404."""
    member = db.session.get(Member, member_id) if 0 < member_id <= MAX_ID else None
    if member is None:
        abort(404)
    return member


def only_conversation_with(member: Member, other: Member) -> ConversationParticipant | None:
    """The member's place in their one 1-to-1 conversation with `other`, when there is exactly one that both still
    take part in: the one a new message to `other` can simply continue. With none, or several, nothing is offered."""
    both = (
        select(ConversationParticipant.conversation_id)
        .where(ConversationParticipant.left_at.is_(None))
        .group_by(ConversationParticipant.conversation_id)
        .having(func.count() == 2)
    )
    pairs = select(ConversationParticipant.conversation_id).where(
        ConversationParticipant.member_id == other.id,
        ConversationParticipant.left_at.is_(None),
        ConversationParticipant.conversation_id.in_(both),
    )
    anyone = select(ConversationParticipant.conversation_id).group_by(ConversationParticipant.conversation_id)
    two_ever = anyone.having(func.count() == 2)  # nobody else was ever in it, not even someone who left
    query = (
        _mine(member)
        .where(
            ConversationParticipant.conversation_id.in_(pairs), ConversationParticipant.conversation_id.in_(two_ever)
        )
        .options(joinedload(ConversationParticipant.conversation))
        .limit(2)
    )
    found = db.session.scalars(query).all()
    return found[0] if len(found) == 1 else None
