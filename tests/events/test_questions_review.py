"""Deciding about event questions in the review queue: approve or reject with a reason, audit-logged, author told."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.models import ContentStatus, ModeratorScope, Role
from tests.events.questions_support import (
    ask,
    audit_actions,
    decide,
    make_event,
    notifications_of,
    only_question,
)
from tests.factories import make_group, make_member
from tests.support import browser, page_text

QUESTION = "How soon can I drive again?"


def _held(app: Flask, group=None):  # noqa: ANN001, ANN202
    """A newcomer's question, held for review, and its author."""
    author = make_member(approved_posts=0)
    event = make_event(group=group)
    assert ask(browser(app, author), event, QUESTION).status_code == 302
    return event, author, only_question(event)


def test_approving_publishes_the_question_and_tells_its_author(app: Flask) -> None:
    """Approve: published for everyone, out of the queue, one audit event, the author notified."""
    event, author, question = _held(app)
    moderator = make_member(role=Role.MODERATOR)
    response = decide(browser(app, moderator), question, "approve")
    assert response.status_code == 302
    question = only_question(event)
    assert question.status == ContentStatus.VISIBLE and not question.in_review
    assert question.decided_by_id == moderator.id
    assert QUESTION in page_text(browser(app).get(f"/events/{event.id}/questions"))
    assert QUESTION not in page_text(browser(app, moderator).get("/mod/queue"))
    [logged] = audit_actions("question_approve")
    assert logged.actor_id == moderator.id and logged.after == {"status": "visible"}
    assert len(notifications_of(author, "question_approved")) == 1
    assert "approve an event question" in page_text(browser(app, moderator).get("/mod/log"))


def test_rejecting_needs_a_reason_which_the_author_reads(app: Flask) -> None:
    """Reject without a reason: refused and nothing changes; with one, not published and the author told why."""
    event, author, question = _held(app)
    moderator = browser(app, make_member(role=Role.MODERATOR))
    decide(moderator, question, "reject")
    assert only_question(event).in_review
    assert audit_actions("question_reject") == []
    decide(moderator, question, "reject", "Please ask the care team directly about your medicines")
    question = only_question(event)
    assert question.status == ContentStatus.REJECTED and not question.in_review
    [notice] = notifications_of(author, "question_rejected")
    assert "Please ask the care team directly about your medicines." in notice.message
    assert QUESTION not in page_text(browser(app, make_member()).get(f"/events/{event.id}/questions"))
    assert "Not published" in page_text(browser(app, author).get(f"/events/{event.id}/questions"))
    [logged] = audit_actions("question_reject")
    assert logged.reason == "Please ask the care team directly about your medicines"


def test_a_decision_on_a_version_already_decided_changes_nothing(app: Flask) -> None:
    """Two moderators at once: the second decision (on the version they saw) is refused, the first one stands."""
    event, _, question = _held(app)
    first, second = (browser(app, make_member(role=Role.MODERATOR)) for _ in range(2))
    decide(first, question, "approve")
    decide(second, question, "reject", "Too late")
    assert only_question(event).status == ContentStatus.VISIBLE
    assert len(audit_actions("question_approve")) == 1 and audit_actions("question_reject") == []


def test_scoped_moderators_decide_only_their_groups_events_questions(app: Flask) -> None:
    """A moderator limited to another group neither sees the question in their queue nor may decide it."""
    group = make_group()
    event, _, question = _held(app, group)
    scoped = make_member(role=Role.MODERATOR)
    db.session.add(ModeratorScope(member_id=scoped.id, group_id=make_group().id))
    db.session.commit()
    client = browser(app, scoped)
    assert QUESTION not in page_text(client.get("/mod/queue"))
    assert decide(client, question, "approve").status_code == 403
    assert only_question(event).status == ContentStatus.PENDING


def test_members_cannot_decide(app: Flask) -> None:
    """The decision route is the team's: a member is refused and the question stays held."""
    event, _, question = _held(app)
    assert decide(browser(app, make_member()), question, "approve").status_code == 403
    assert only_question(event).status == ContentStatus.PENDING


def test_the_queue_badge_counts_open_questions(app: Flask) -> None:
    """The moderators' navigation count includes the questions waiting."""
    from app.mod.queries import count_open_items

    _held(app)
    moderator = make_member(role=Role.MODERATOR)
    assert count_open_items(moderator) == 1
