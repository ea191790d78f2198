"""Handling one incoming reply e-mail: check who sent it and where it goes, then post it through the same
services as the web form (permissions, holds, crisis routing, watched words, rate limits, repeat detection).

Every outcome is logged by the message's key and the outcome's name only: never the address, subject or text."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from flask import current_app
from limits import parse_many
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from app import permissions
from app.extensions import db, limiter
from app.models import ConversationParticipant, MailReply, Member, MemberStatus, Topic
from app.services import ServiceError
from app.services.common.submissions import DuplicateSubmission
from app.services.community.groups import is_member_of
from app.services.community.posting import Posted, reply
from app.services.mailin import reading
from app.services.mailin.answers import queue_answer, queue_crisis_support
from app.services.mailin.tokens import ReplyTarget, find_token, read_token
from app.services.members.language import in_recipients_language
from app.services.messages.conversations import send_message
from app.services.notify.notifications import link_for

log = logging.getLogger(__name__)
# As many as the web forms allow; the same member answering faster than this is asked (by the MTA) to wait.
TOPIC_LIMIT = "10 per minute; 100 per day"
MESSAGE_LIMIT = "20 per minute; 300 per day"


class Result(enum.Enum):
    """What the mail server is told: done (posted, or dropped on purpose), or try again later."""

    HANDLED = "handled"
    TEMPFAIL = "tempfail"


@dataclass(frozen=True)
class Incoming:
    raw: bytes
    envelope_sender: str | None = None  # None: not known (standard input without -f)
    recipients: tuple[str, ...] = ()  # envelope recipients; empty: read them from the headers


def handle(incoming: Incoming) -> Result:
    """Handle one message; database and other temporary failures propagate to the caller (a retry)."""
    with current_app.test_request_context("/", base_url=current_app.config.get("BASE_URL") or "http://localhost"):
        _, result = _handle(incoming)
    return result


def _handle(incoming: Incoming) -> tuple[str, Result]:
    message = reading.parse(incoming.raw)
    sender = incoming.envelope_sender
    if sender is None and message.get("Return-Path") is not None:  # Postfix's pipe adds it (flag R)
        sender = str(message["Return-Path"])
    automatic = reading.automatic_reason(message, sender)
    if automatic is not None:
        return _ignored(reading.message_key(message, incoming.raw), f"automatic:{automatic}")
    addresses = list(incoming.recipients) or reading.recipient_addresses(message)
    token = find_token([reading.envelope_recipient(a) for a in addresses])
    key = reading.message_key(message, incoming.raw, token or "")
    target = read_token(token) if token else None
    if target is None:
        return _ignored(key, "bad-token")
    member = db.session.get(Member, target.member_id)
    if member is None or member.status == MemberStatus.DELETED:
        return _ignored(key, "no-member")
    if reading.sender_address(message) != member.email.lower():
        return _ignored(key, "wrong-sender")
    if db.session.scalar(select(MailReply.id).where(MailReply.message_key == key)) is not None:
        return _ignored(key, "duplicate")
    if _rate_limited(member, target):
        log.info("reply mail %s: rate limited, asked to retry later", key[:16])
        return "rate-limited", Result.TEMPFAIL
    with in_recipients_language(member):
        return _post(key, member, target, reading.new_text(message))


def _ignored(key: str, outcome: str) -> tuple[str, Result]:
    log.info("reply mail %s ignored: %s", key[:16], outcome)
    return outcome, Result.HANDLED


def _rate_limited(member: Member, target: ReplyTarget) -> bool:
    """Over the posting limits (when rate limits are on): checked per member, whatever address they write from."""
    if not current_app.config.get("RATELIMIT_ENABLED"):
        return False
    items = parse_many(TOPIC_LIMIT if target.kind == "t" else MESSAGE_LIMIT)
    return not all(limiter.limiter.hit(item, "mail-reply", f"member:{member.id}") for item in items)


def _place_link(target: ReplyTarget) -> str:
    if target.kind == "t":
        return link_for("community.topic", topic_id=target.target_id)
    return link_for("messages.conversation", conversation_id=target.target_id)


def _refuse(key: str, member: Member, target: ReplyTarget, outcome: str, problem: str = "") -> tuple[str, Result]:
    """Record the refusal and queue the one polite answer (at most one an hour)."""
    db.session.rollback()
    answered = queue_answer(member, outcome, _place_link(target), problem)
    db.session.add(MailReply(message_key=key, member_id=member.id, outcome=outcome, answered=answered))
    _commit_record()
    log.info("reply mail %s not posted: %s (answered: %s)", key[:16], outcome, answered)
    return outcome, Result.HANDLED


def _commit_record() -> None:
    try:
        db.session.commit()
    except IntegrityError:  # the same message handled at the same moment by another delivery
        db.session.rollback()


def _post(key: str, member: Member, target: ReplyTarget, text: str) -> tuple[str, Result]:
    if target.expired:
        return _refuse(key, member, target, "expired")
    post = _poster(member, target)
    if post is None:
        return _refuse(key, member, target, "cannot_post")
    if not text:
        return _refuse(key, member, target, "empty")
    db.session.add(MailReply(message_key=key, member_id=member.id, outcome="posted"))
    try:
        db.session.flush()  # claims the message: committed with the post by the posting service
    except IntegrityError:
        db.session.rollback()
        return _ignored(key, "duplicate")
    try:
        posted = post(text)
    except DuplicateSubmission:
        db.session.rollback()
        db.session.add(MailReply(message_key=key, member_id=member.id, outcome="repeat"))
        _commit_record()
        return _ignored(key, "repeat")
    except ServiceError as error:
        return _refuse(key, member, target, "refused", error.message)
    except HTTPException:  # a permission refused at the last moment (permissions.ensure answers 403)
        return _refuse(key, member, target, "cannot_post")
    if isinstance(posted, Posted) and posted.verdict.urgent:  # as the web shows the support panel at this point
        queue_crisis_support(member, _place_link(target))
        db.session.commit()
    log.info("reply mail %s posted", key[:16])
    return "posted", Result.HANDLED


def _poster(member: Member, target: ReplyTarget):  # noqa: ANN202
    """A function posting text as `member` at the target, or None when they may not write there now."""
    if target.kind == "t":
        topic = db.session.get(Topic, target.target_id)
        if topic is None or permissions.why_not(member, "view_topic", topic) is not None:
            return None
        if permissions.why_not(member, "reply", (topic, is_member_of(member, topic.group))) is not None:
            return None
        return lambda text: reply(member, topic, text)
    place = db.session.get(ConversationParticipant, (target.target_id, member.id))
    if place is None or permissions.why_not(member, "write_message", place) is not None:
        return None
    return lambda text: send_message(member, place, text)
