"""Reports of private messages: a participant sends one message, and only that message, to the moderators.

A decision (dismiss, or remove the message) closes every open report of the message in one transaction, with its
audit record and a notice to each reporter. Neither the audit log nor any notice holds the message's words.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models import Member
from app.models.base import utcnow
from app.models.messages import ConversationParticipant, Message, MessageReport, MessageReportStatus
from app.services import ServiceError
from app.services.common.audit import audit, notify
from app.services.moderation.flags import clean_report
from app.text.lazy import lazy_text as _l

NOTE_MAX = 1000
ALREADY_REPORTED = _l("You have already reported this message. Thank you — the moderators will look at it.")
STATUS_AFTER = {"dismiss": MessageReportStatus.DISMISSED, "remove": MessageReportStatus.REMOVED}


def report_message(
    member: Member, place: ConversationParticipant | None, message: Message, reason: str, details: str = ""
) -> MessageReport:
    """Record a participant's report of one message, for the moderators' queue."""
    permissions.ensure(member, "report_message", (place, message))
    report_reason, details = clean_report(reason, details, "reporting this message")
    taken = select(MessageReport.id).where(
        MessageReport.message_id == message.id, MessageReport.reporter_id == member.id
    )
    if db.session.scalar(taken) is not None:
        raise ServiceError(str(ALREADY_REPORTED))
    report = MessageReport(message_id=message.id, reporter_id=member.id, reason=report_reason, details=details)
    db.session.add(report)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same report sent from two tabs at once
        db.session.rollback()
        raise ServiceError(str(ALREADY_REPORTED)) from exc
    return report


def decide_report(moderator: Member, report_id: int, action: str, note: str = "") -> MessageReport:
    """Dismiss the reports of a message, or remove the message; exactly one of two simultaneous decisions wins."""
    permissions.ensure(moderator, "review_message_reports", None)
    report = db.session.get(MessageReport, report_id)
    if report is None:
        raise ServiceError(_("This report no longer exists."))
    if action not in STATUS_AFTER:
        raise ServiceError(_("Unknown decision."))
    note = note.strip()
    if len(note) > NOTE_MAX or "\x00" in note:
        raise ServiceError(_("Keep the reason under %(limit)d characters.", limit=NOTE_MAX), "note")
    message = report.message
    reporters = _claim(message, moderator, action, note)
    before = {"removed": message.removed_at is not None}
    if action == "remove" and message.removed_at is None:
        message.removed_at, message.removed_by_id = utcnow(), moderator.id
        removed = (
            lazy_gettext("A moderator removed one of your private messages: %(reason)s", reason=note)
            if note
            else lazy_gettext("A moderator removed one of your private messages.")
        )
        notify(message.author_id, "message_removed", removed, url_for("main.guidelines"))
    after = {"removed": message.removed_at is not None}
    audit(moderator, f"message_report_{action}", message, reason=note, before=before, after=after)
    link = url_for("messages.conversation", conversation_id=message.conversation_id)
    for reporter_id in reporters:
        notify(reporter_id, "message_report", _report_outcome(action), link)
    db.session.commit()
    return report


def _claim(message: Message, moderator: Member, action: str, note: str) -> list[int]:
    """Close every open report of the message in one conditional UPDATE; returns the reporters to tell. When
    another moderator got there first, nothing is open any more and the decision is refused."""
    closed = db.session.execute(
        update(MessageReport)
        .where(MessageReport.message_id == message.id, MessageReport.status == MessageReportStatus.OPEN)
        .values(status=STATUS_AFTER[action], decided_at=utcnow(), decided_by_id=moderator.id, decision_note=note)
        .returning(MessageReport.reporter_id)
        .execution_options(synchronize_session=False)
    ).all()
    if not closed:
        db.session.rollback()
        raise ServiceError(_("Another moderator already decided about this message."))
    return [row.reporter_id for row in closed if row.reporter_id is not None]


def _report_outcome(action: str) -> str:
    """What the reporter is told, in their language."""
    if action == "remove":
        return lazy_gettext("A moderator looked at the message you reported and removed it.")
    return lazy_gettext("A moderator looked at the message you reported and decided it can stay.")
