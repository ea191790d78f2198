"""After an event: staff answer its questions, link a recap topic, and tell everyone who asked or was going, once."""

from __future__ import annotations

import re

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app import permissions
from app.database.dml import rows_matched
from app.extensions import db
from app.models import ContentStatus, Event, EventQuestion, EventRsvp, Member, RsvpStatus, Topic
from app.models.base import utcnow
from app.models.event_questions import ANSWER_MAX
from app.services import ServiceError
from app.services.common.audit import audit, notify
from app.services.common.cleaning import clean_text
from app.text.rendering import cook

# A topic's address as the site writes it (/t/<id> or /t/<id>/<slug>, with or without the site's own host).
TOPIC_LINK = re.compile(r"^(?:https?://[^/\s]+)?/t/(?P<id>\d{1,9})(?:/[^\s?#]*)?/?(?:[?#]\S*)?$")
RECAP_FIELD = "recap_topic"


def host_questions(event: Event) -> list[EventQuestion]:
    """Published questions, most wanted first (ties: the oldest first), with their authors (one statement)."""
    query = (
        select(EventQuestion)
        .options(joinedload(EventQuestion.author))
        .where(EventQuestion.event_id == event.id, EventQuestion.status == ContentStatus.VISIBLE)
        .order_by(EventQuestion.want_count.desc(), EventQuestion.created_at, EventQuestion.id)
    )
    return list(db.session.scalars(query))


def answer_question(staff: Member, question: EventQuestion, answer: str) -> None:
    """Attach (or replace, or with an empty text remove) staff's answer to a published question."""
    permissions.ensure(staff, "answer_questions", question.event)
    if question.status != ContentStatus.VISIBLE:
        raise ServiceError(_("Only published questions can be answered."), "answer")
    answer = clean_text(answer, limit=ANSWER_MAX, empty=None, noun="Answers", field="answer")
    before = {"answered": bool(question.answer)}
    question.answer, question.answer_html = answer, cook(answer) if answer else ""
    question.answered_at = utcnow() if answer else None
    question.answered_by_id = staff.id if answer else None
    audit(staff, "answer_question", question, group_id=question.event.group_id, before=before,
          after={"answered": bool(answer)})  # fmt: skip
    db.session.commit()


def topic_from(value: str) -> Topic | None:
    """The topic a staff member named, by its id or its address on this site."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) < 10:
        return db.session.get(Topic, int(value))
    match = TOPIC_LINK.match(value)
    return db.session.get(Topic, int(match["id"])) if match else None


def set_recap_topic(staff: Member, event: Event, value: str) -> None:
    """Link the event to a recap topic everyone the event is for can read (an empty value unlinks it)."""
    permissions.ensure(staff, "answer_questions", event)
    if not (value or "").strip():
        event.recap_topic_id = None
        audit(staff, "event_recap_topic", event, group_id=event.group_id, after={"recap_topic_id": None})
        db.session.commit()
        return
    topic = topic_from(value)
    if topic is None:
        raise ServiceError(_("No topic has that address or number. Paste the topic's address from your browser."),
                           RECAP_FIELD)  # fmt: skip
    if not _readable_by_audience(topic, event):
        raise ServiceError(
            _("That topic is not one everyone this event is for can read. Choose a published topic they can see."),
            RECAP_FIELD,
        )
    event.recap_topic_id = topic.id
    audit(staff, "event_recap_topic", event, group_id=event.group_id, after={"recap_topic_id": topic.id})
    db.session.commit()


def _readable_by_audience(topic: Topic, event: Event) -> bool:
    """Published, and readable by the event's audience: visitors for a public event, else the group's members."""
    if topic.status != ContentStatus.VISIBLE:
        return False
    if event.group is None or permissions.is_public_group(event.group):
        return permissions.can(None, "view_topic", topic)
    # A members-only group's event is for signed-in members, who read every published topic.
    return True


def tell_everyone(staff: Member, event: Event) -> int:
    """Tell everyone who asked or was going that the answers (or the recap) are there; never twice. How many."""
    permissions.ensure(staff, "answer_questions", event)
    if event.recap_topic_id is None and not _any_answer(event):
        raise ServiceError(_("Add an answer or link a recap topic first: there is nothing to tell yet."))
    claimed = rows_matched(
        update(Event)
        .where(Event.id == event.id, Event.recap_notified_at.is_(None))
        .values(recap_notified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed != 1:
        db.session.rollback()
        raise ServiceError(_("Everyone was already told about this event's answers."))
    recipients = _recipients(event)
    link = url_for("events.show", event_id=event.id, _anchor="event-questions-heading")
    message = lazy_gettext('The answers from "%(title)s" are ready to read.', title=event.title)
    for member_id in recipients:
        notify(member_id, "event_recap", message, link)
    audit(staff, "event_recap_told", event, group_id=event.group_id, after={"recipients": len(recipients)})
    db.session.commit()
    db.session.refresh(event)
    return len(recipients)


def _any_answer(event: Event) -> bool:
    query = select(EventQuestion.id).where(EventQuestion.event_id == event.id, EventQuestion.answer != "")
    return db.session.scalar(query.limit(1)) is not None


def _recipients(event: Event) -> list[int]:
    """Members who asked a published question, and members who were going, each once."""
    asked = select(EventQuestion.author_id).where(
        EventQuestion.event_id == event.id,
        EventQuestion.status == ContentStatus.VISIBLE,
        EventQuestion.author_id.is_not(None),
    )
    going = select(EventRsvp.member_id).where(EventRsvp.event_id == event.id, EventRsvp.status == RsvpStatus.GOING)
    return sorted({member_id for member_id in db.session.scalars(asked.union(going)) if member_id is not None})
