"""Only participants read a conversation, moderators and staff included; a reported message reaches the review queue
alone, and the moderators' decision about it is logged and reported back."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ModeratorScope, Notification, Role
from app.models.messages import ConversationParticipant, Message, MessageReport, MessageReportStatus
from tests.factories import make_conversation, make_group, make_member
from tests.support import browser, page_text, soup

OUTSIDERS = ["member", "mentor", "moderator", "staff", "admin"]
ROLE_OF = {name: Role(name) for name in OUTSIDERS}


@pytest.fixture
def conversation(ann, bob):  # noqa: ANN001, ANN201
    """Ann writes twice to Bob: an ordinary message, then a hurtful one."""
    return make_conversation(ann, bob, subject="Private subject", bodies=("Ordinary words", "Hurtful words"))


def _message_ids(conversation) -> list[int]:  # noqa: ANN001
    db.session.rollback()
    return list(db.session.scalars(select(Message.id).where(Message.conversation_id == conversation.id)))


def _report(app: Flask, reporter, conversation, message_id: int, **data: str):  # noqa: ANN001, ANN201
    form = {"reason": "harassment", **data}
    return browser(app, reporter).post_form(f"/messages/{conversation.id}/messages/{message_id}/report", form)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_cannot_reach_a_conversation(app: Flask, conversation, role: str, count, send) -> None:
    """Anyone not in the conversation, moderators, staff and admins included, gets 404 everywhere in it."""
    outsider = browser(app, make_member(role=ROLE_OF[role]))
    first, _ = _message_ids(conversation)
    base = f"/messages/{conversation.id}"
    assert outsider.get(base).status_code == 404
    assert send(outsider, conversation.id, "Let me in").status_code == 404
    assert outsider.post_form(f"{base}/leave").status_code == 404
    assert outsider.get(f"{base}/messages/{first}/report").status_code == 404
    assert outsider.post_form(f"{base}/messages/{first}/report", {"reason": "spam"}).status_code == 404
    assert count(Message) == 2 and count(MessageReport) == 0


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_do_not_see_it_listed(app: Flask, conversation, role: str) -> None:
    """A conversation appears in no one's list but its participants'."""
    outsider = browser(app, make_member(role=ROLE_OF[role]))
    assert "Private subject" not in page_text(outsider.get("/messages"))


def test_visitors_are_sent_to_sign_in(app: Flask, conversation) -> None:
    """A visitor asking for a conversation is sent to the sign-in page."""
    response = browser(app).get(f"/messages/{conversation.id}")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_out_of_range_ids_are_not_found(app: Flask, ann) -> None:
    """Ids beyond the column's range answer 404, not a database error."""
    client = browser(app, ann)
    assert client.get("/messages/99999999999").status_code == 404
    assert client.get("/messages/99999999999/messages/99999999999/report").status_code == 404


def test_a_message_of_another_conversation_cannot_be_reported_through_yours(app: Flask, ann, bob, count) -> None:
    """Reporting by id checks that the message belongs to the conversation in the URL: otherwise 404."""
    mine = make_conversation(ann, bob)
    other = make_conversation(make_member(), make_member(), bodies=("Somebody else's words",))
    [foreign] = _message_ids(other)
    assert _report(app, bob, mine, foreign).status_code == 404
    assert count(MessageReport) == 0


def test_participant_reports_a_message(app: Flask, conversation, bob) -> None:
    """Reporting stores one open report of that message, by that participant."""
    _, hurtful = _message_ids(conversation)
    response = _report(app, bob, conversation, hurtful, details="Unkind")
    assert response.status_code == 302
    report = db.session.scalar(select(MessageReport))
    assert (report.message_id, report.reporter_id, report.status) == (hurtful, bob.id, MessageReportStatus.OPEN)


def test_own_message_cannot_be_reported(app: Flask, conversation, ann, count) -> None:
    """Authors cannot report their own message."""
    first, _ = _message_ids(conversation)
    assert _report(app, ann, conversation, first).status_code == 403
    assert count(MessageReport) == 0


def test_reporting_twice_is_refused_clearly(app: Flask, conversation, bob, count) -> None:
    """A second report of the same message by the same member is refused with a message, nothing added."""
    _, hurtful = _message_ids(conversation)
    _report(app, bob, conversation, hurtful)
    response = _report(app, bob, conversation, hurtful)
    assert response.status_code == 422
    assert "already reported this message" in page_text(response)
    assert count(MessageReport) == 1


def test_report_without_a_reason_is_refused(app: Flask, conversation, bob, count) -> None:
    """No reason, or "something else" without details, gets the form back with the error."""
    _, hurtful = _message_ids(conversation)
    assert _report(app, bob, conversation, hurtful, reason="").status_code == 422
    response = _report(app, bob, conversation, hurtful, reason="other")
    assert response.status_code == 422
    assert "Please tell the moderators what is wrong." in page_text(response)
    assert count(MessageReport) == 0


def test_queue_shows_the_reported_message_alone(app: Flask, conversation, bob) -> None:
    """Moderators see the reported message in the queue, and neither the other message nor the subject."""
    _, hurtful = _message_ids(conversation)
    _report(app, bob, conversation, hurtful)
    moderator = browser(app, make_member(role=Role.MODERATOR))
    text = page_text(moderator.get("/mod/queue"))
    assert "Hurtful words" in text
    assert "Ordinary words" not in text and "Private subject" not in text
    assert moderator.get(f"/messages/{conversation.id}").status_code == 404


def test_scoped_moderators_do_not_see_or_decide_message_reports(app: Flask, conversation, bob) -> None:
    """A moderator limited to some groups neither sees reported messages nor may decide about them."""
    _, hurtful = _message_ids(conversation)
    _report(app, bob, conversation, hurtful)
    scoped = make_member(role=Role.MODERATOR)
    db.session.add(ModeratorScope(member_id=scoped.id, group_id=make_group().id))
    db.session.commit()
    client = browser(app, scoped)
    assert "Hurtful words" not in page_text(client.get("/mod/queue"))
    report_id = db.session.scalar(select(MessageReport.id))
    assert client.post_form(f"/messages/reports/{report_id}/decide", {"action": "remove"}).status_code == 403
    assert db.session.get(Message, hurtful).removed_at is None


def test_members_cannot_decide_reports(app: Flask, conversation, bob) -> None:
    """Deciding a report is for the moderation team: a participant gets 403 and nothing changes."""
    _, hurtful = _message_ids(conversation)
    _report(app, bob, conversation, hurtful)
    report_id = db.session.scalar(select(MessageReport.id))
    assert browser(app, bob).post_form(f"/messages/reports/{report_id}/decide", {"action": "remove"}).status_code == 403
    assert db.session.get(MessageReport, report_id).status == MessageReportStatus.OPEN


def _decide(app: Flask, moderator, action: str, note: str = ""):  # noqa: ANN001, ANN201
    report_id = db.session.scalar(select(MessageReport.id))
    return browser(app, moderator).post_form(f"/messages/reports/{report_id}/decide", {"action": action, "note": note})


def test_removing_a_reported_message(app: Flask, conversation, ann, bob) -> None:
    """Removal hides the message from the conversation, logs the decision without the words, and tells both sides."""
    _, hurtful = _message_ids(conversation)
    _report(app, bob, conversation, hurtful)
    moderator = make_member(role=Role.MODERATOR)
    assert _decide(app, moderator, "remove", "Be kind").location == "/mod/queue"
    assert db.session.get(Message, hurtful).removed_at is not None
    text = page_text(browser(app, bob).get(f"/messages/{conversation.id}"))
    assert "Hurtful words" not in text and "removed by a moderator" in text and "Ordinary words" in text
    event = db.session.scalar(select(AuditEvent))
    assert (event.actor_id, event.action, event.target_type, event.target_id) == (
        moderator.id,
        "message_report_remove",
        "message",
        hurtful,
    )
    assert "Hurtful" not in repr((event.reason, event.before, event.after))
    notices = {
        n.member_id: n.message for n in db.session.scalars(select(Notification).where(Notification.kind != "message"))
    }
    assert notices == {
        bob.id: "A moderator looked at the message you reported and removed it.",
        ann.id: "A moderator removed one of your private messages: Be kind",
    }
    assert db.session.scalar(select(MessageReport.status)) == MessageReportStatus.REMOVED


def test_dismissing_a_report_keeps_the_message(app: Flask, conversation, ann, bob) -> None:
    """Dismissal leaves the message in place, logs the decision, and tells the reporter only."""
    _, hurtful = _message_ids(conversation)
    _report(app, bob, conversation, hurtful)
    _decide(app, make_member(role=Role.STAFF), "dismiss")
    assert db.session.get(Message, hurtful).removed_at is None
    assert db.session.scalar(select(AuditEvent.action)) == "message_report_dismiss"
    reporter_notices = db.session.scalars(select(Notification.message).where(Notification.kind == "message_report"))
    assert list(reporter_notices) == ["A moderator looked at the message you reported and decided it can stay."]
    assert db.session.scalar(select(Notification).where(Notification.member_id == ann.id)) is None


def test_a_second_decision_is_refused(app: Flask, conversation, bob, count) -> None:
    """Once one moderator decided, another's decision about the same report changes nothing and says why."""
    _, hurtful = _message_ids(conversation)
    _report(app, bob, conversation, hurtful)
    first, second = make_member(role=Role.MODERATOR), make_member(role=Role.MODERATOR)
    _decide(app, first, "dismiss")
    client = browser(app, second)
    report_id = db.session.scalar(select(MessageReport.id))
    client.post_form(f"/messages/reports/{report_id}/decide", {"action": "remove"})
    assert "Another moderator already decided" in page_text(client.get("/mod/queue"))
    assert db.session.get(Message, hurtful).removed_at is None
    assert count(AuditEvent) == 1


def test_removed_message_cannot_be_reported_again(app: Flask, conversation, ann, bob) -> None:
    """A removed message offers no Report link and refuses a report by URL."""
    third = make_member()
    conversation_id = conversation.id
    db.session.add(ConversationParticipant(conversation_id=conversation_id, member_id=third.id))
    db.session.commit()
    _, hurtful = _message_ids(conversation)
    _report(app, bob, conversation, hurtful)
    _decide(app, make_member(role=Role.ADMIN), "remove")
    assert _report(app, third, conversation, hurtful).status_code == 403
    links = soup(browser(app, third).get(f"/messages/{conversation_id}")).find_all("a", string="Report")
    assert len(links) == 1  # the ordinary message only


def test_review_queue_badge_counts_reported_messages(app: Flask, conversation, bob) -> None:
    """The header's review-queue count includes open message reports for moderators who review them."""
    _, hurtful = _message_ids(conversation)
    _report(app, bob, conversation, hurtful)
    badge = soup(browser(app, make_member(role=Role.MODERATOR)).get("/")).select_one(
        "header a[href='/mod/queue'] .count"
    )
    assert badge is not None and badge.get_text(" ", strip=True).startswith("1")
