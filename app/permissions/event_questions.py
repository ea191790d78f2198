"""Questions sent in advance of an event: who may ask, see, want to know too, moderate and answer."""

from __future__ import annotations

from app.models import ContentStatus, Event, EventQuestion, Member
from app.models.base import utcnow
from app.permissions.common import Rule, is_full_moderator, is_moderator, is_staff, moderates, unconfirmed
from app.permissions.events import view_event
from app.permissions.filters import AUTHOR_SEES
from app.permissions.refusals import (
    GUIDELINES_CHANGED,
    NOT_MODERATOR,
    NOT_STAFF,
    NOT_YOUR_GROUP,
    SIGN_IN,
    SUSPENDED,
)
from app.text.lazy import lazy_text as _l

NOT_COLLECTING = _l("This event does not collect questions in advance.")
CANCELLED = _l("This event was cancelled.")
STARTED = _l("This event has started: questions are no longer collected.")
QUESTION_UNAVAILABLE = _l("This question is not available.")
OWN_QUESTION = _l("This is your own question: it already counts as yours.")
NOT_PUBLISHED = _l("Only published questions can be marked.")
NOT_ENDED = _l("Answers and a recap can be added once the event has ended.")


def _may_write(member: Member | None) -> str | None:
    """The rungs every posting member climbs: signed in, not suspended, address confirmed, guidelines accepted."""
    if member is None:
        return SIGN_IN
    if member.is_suspended:
        return SUSPENDED
    if (reason := unconfirmed(member)) is not None:
        return reason
    if member.guidelines_outdated:
        return GUIDELINES_CHANGED
    return None


def ask_question(member: Member | None, event: Event) -> str | None:
    if (reason := _may_write(member)) is not None:
        return reason
    if (reason := view_event(member, event)) is not None:
        return reason
    # Only events that collect questions, before they start, and not once cancelled.
    if not event.questions:
        return NOT_COLLECTING
    if event.cancelled_at is not None:
        return CANCELLED
    if event.starts_at <= utcnow():
        return STARTED
    return None


def moderate_question(member: Member | None, question: EventQuestion) -> str | None:
    if member is None:
        return SIGN_IN
    group_id = question.event.group_id
    # An event in a group is moderated by that group's moderators; one outside any group by those of every group.
    if group_id is not None:
        if moderates(member, group_id):
            return None
        return NOT_YOUR_GROUP if is_moderator(member) else NOT_MODERATOR
    return None if is_full_moderator(member) else NOT_MODERATOR


def view_question(member: Member | None, question: EventQuestion) -> str | None:
    # A question is no more visible than its event.
    if (reason := view_event(member, question.event)) is not None:
        return reason
    if question.status == ContentStatus.VISIBLE:
        return None
    # Its author sees it while it waits, and after it was turned down.
    if member is not None and question.author_id == member.id and question.status in AUTHOR_SEES:
        return None
    # Its moderators see it, to decide about it.
    if moderate_question(member, question) is None:
        return None
    return QUESTION_UNAVAILABLE


def want_question(member: Member | None, question: EventQuestion) -> str | None:
    if (reason := _may_write(member)) is not None:
        return reason
    assert member is not None
    if (reason := view_event(member, question.event)) is not None:
        return reason
    if question.status != ContentStatus.VISIBLE:
        return NOT_PUBLISHED
    # One's own question needs no second voice.
    if question.author_id == member.id:
        return OWN_QUESTION
    return None


def manage_event_questions(member: Member | None, event: Event) -> str | None:
    """The host's view of the questions (run by staff: the host is a name on the event, not an account)."""
    if member is None:
        return SIGN_IN
    return None if is_staff(member) else NOT_STAFF


def answer_questions(member: Member | None, event: Event) -> str | None:
    """Answers, the recap topic and telling everyone: staff, once the event is over."""
    if (reason := manage_event_questions(member, event)) is not None:
        return reason
    if event.ends_at > utcnow():
        return NOT_ENDED
    return None


RULES: dict[str, Rule] = {
    "ask_question": ask_question,
    "view_question": view_question,
    "want_question": want_question,
    "moderate_question": moderate_question,
    "manage_event_questions": manage_event_questions,
    "answer_questions": answer_questions,
}
