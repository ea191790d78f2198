"""After an event: staff answer questions and link a recap topic, then everyone who asked or was going is told, once."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.extensions import db
from app.models import (
    ContentStatus,
    Delivery,
    EventRsvp,
    GroupMembership,
    GroupVisibility,
    NotificationPreference,
    Role,
    RsvpStatus,
)
from tests.events.questions_support import (
    ask,
    audit_actions,
    end,
    make_event,
    notifications_of,
    only_question,
    questions_of,
)
from tests.factories import make_group, make_member, make_topic
from tests.support import browser, outbox, page_text, soup


def _staff(app: Flask):  # noqa: ANN202
    return browser(app, make_member(role=Role.STAFF))


def _asked(app: Flask, **event_fields: object):  # noqa: ANN202
    """An event with one published question by `asker`; the event is then over."""
    event = make_event(**event_fields)
    asker = make_member()
    if event.group_id is not None:
        db.session.add(GroupMembership(member_id=asker.id, group_id=event.group_id))
        db.session.commit()
    ask(browser(app, asker), event, "Can I lift my grandchildren?")
    return end(event), asker, only_question(event)


def _answer(client, question, text: str = "Not for **six weeks**."):  # noqa: ANN001, ANN202
    return client.post_form(f"/staff/events/questions/{question.id}/answer", {f"q{question.id}-answer": text})


def test_answers_wait_until_the_event_has_ended(app: Flask) -> None:
    """Before the end the answer form is refused (403) and nothing is stored."""
    event = make_event()
    ask(browser(app, make_member()), event, "Can I lift my grandchildren?")
    question = only_question(event)
    assert _answer(_staff(app), question).status_code == 403
    assert only_question(event).answer == ""


def test_an_answer_is_cooked_shown_with_the_question_and_logged(app: Flask) -> None:
    """Staff's Markdown answer is stored cooked, shown on the event page under the question, and audit-logged."""
    event, _, question = _asked(app)
    assert _answer(_staff(app), question).status_code == 302
    question = only_question(event)
    assert question.answer_html == "<p>Not for <strong>six weeks</strong>.</p>\n"
    answer = soup(browser(app).get(f"/events/{event.id}")).select_one(f"#question-{question.id} .question-answer")
    assert answer is not None and "six weeks" in answer.get_text()
    assert len(audit_actions("answer_question")) == 1


def test_the_recap_topic_must_exist_and_be_readable_by_the_audience(app: Flask) -> None:
    """Unknown, held, or members-only for a public event: refused beside the field (422); a public topic's address
    is accepted."""
    event, _, _ = _asked(app)
    staff = _staff(app)
    held = make_topic(status=ContentStatus.PENDING)
    private = make_topic(group=make_group(visibility=GroupVisibility.MEMBERS))
    for value in ("999999", f"/t/{held.id}", f"http://localhost/t/{private.id}/its-slug", "not a topic"):
        response = staff.post_form(f"/staff/events/{event.id}/recap", {"recap_topic": value})
        assert response.status_code == 422, value
        assert soup(response).select_one("#recap_topic-error") is not None, value
    assert end(event).recap_topic_id is None
    public = make_topic(title="What we learnt at the Q&A")
    assert staff.post_form(f"/staff/events/{event.id}/recap", {"recap_topic": f"/t/{public.id}/x"}).status_code == 302
    assert end(event).recap_topic_id == public.id
    assert "What we learnt at the Q&A" in page_text(browser(app).get(f"/events/{event.id}"))


def test_a_members_only_events_recap_may_be_a_members_only_topic(app: Flask) -> None:
    """The group's members read members-only topics: such a recap is fine for the group's event."""
    group = make_group(visibility=GroupVisibility.MEMBERS)
    event, _, _ = _asked(app, group=group)
    topic = make_topic(group=group)
    assert _staff(app).post_form(f"/staff/events/{event.id}/recap", {"recap_topic": str(topic.id)}).status_code == 302
    assert end(event).recap_topic_id == topic.id


def test_telling_everyone_reaches_askers_and_those_going_once(app: Flask) -> None:
    """Asker and going member notified (e-mail for the one who chose it, through the outbox); a waiting member and a
    second press tell nobody again."""
    event, asker, question = _asked(app)
    going, waiting = make_member(), make_member()
    db.session.add_all(
        [
            EventRsvp(event_id=event.id, member_id=going.id, status=RsvpStatus.GOING),
            EventRsvp(event_id=event.id, member_id=waiting.id, status=RsvpStatus.WAITING),
            NotificationPreference(member_id=going.id, kind="event", delivery=Delivery.EMAIL),
        ]
    )
    db.session.commit()
    staff = _staff(app)
    assert staff.post_form(f"/staff/events/{event.id}/tell").status_code == 302  # nothing to tell yet
    assert end(event).recap_notified_at is None
    _answer(staff, question)
    for _ in range(2):
        assert staff.post_form(f"/staff/events/{event.id}/tell").status_code == 302
    assert end(event).recap_notified_at is not None
    assert len(notifications_of(asker, "event_recap")) == 1
    assert len(notifications_of(going, "event_recap")) == 1
    assert notifications_of(waiting, "event_recap") == []
    assert len(outbox(going.email)) == 1 and outbox(asker.email) == []
    assert len(audit_actions("event_recap_told")) == 1


def test_the_host_page_offers_answers_only_after_the_end(app: Flask) -> None:
    """Before the end: the list without answer forms; after: one answer form per question and the recap form."""
    event = make_event(starts_in=timedelta(days=1))
    ask(browser(app, make_member()), event, "Can I lift my grandchildren?")
    staff = _staff(app)
    assert soup(staff.get(f"/staff/events/{event.id}/questions")).select("form.answer-form") == []
    end(event)
    page = soup(staff.get(f"/staff/events/{event.id}/questions"))
    [question] = questions_of(event)
    assert page.select_one(f"#q{question.id}-answer") is not None
    assert page.select_one("#recap_topic") is not None
