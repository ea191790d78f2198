"""Asking an event's questions: the same review rules as posts (holds, watched words, crisis), and who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.models import ContentStatus, Role, WatchAction, WatchedWord
from app.models.base import utcnow
from tests.events.questions_support import ask, make_event, only_question, questions_of
from tests.factories import make_member
from tests.support import browser, page_text, soup

QUESTION = "Is it safe to climb stairs in the first week?"


def _watch(phrase: str, action: WatchAction) -> None:
    db.session.add(WatchedWord(phrase=phrase, phrase_key=phrase.casefold(), action=action))
    db.session.commit()


def test_a_trusted_members_question_is_published(app: Flask) -> None:
    """An established member's question is published at once and shown to everyone, visitors included."""
    event = make_event()
    response = ask(browser(app, make_member()), event, QUESTION)
    assert response.status_code == 302
    question = only_question(event)
    assert question.status == ContentStatus.VISIBLE and not question.in_review
    assert QUESTION in page_text(browser(app).get(f"/events/{event.id}/questions"))


def test_a_newcomers_question_is_held_and_seen_by_its_author_and_moderators_only(app: Flask) -> None:
    """A newcomer's first question waits for review: the author sees it marked so, others do not, the queue has it."""
    newcomer = make_member(approved_posts=0)
    event = make_event()
    author = browser(app, newcomer)
    assert ask(author, event, QUESTION).status_code == 302
    question = only_question(event)
    assert question.status == ContentStatus.PENDING and question.in_review
    own = page_text(author.get(f"/events/{event.id}/questions"))
    assert QUESTION in own and "Waiting for review" in own
    assert QUESTION not in page_text(browser(app, make_member()).get(f"/events/{event.id}/questions"))
    assert QUESTION not in page_text(browser(app).get(f"/events/{event.id}/questions"))
    queue = soup(browser(app, make_member(role=Role.MODERATOR)).get("/mod/queue"))
    item = queue.select_one(f"#event-question-{question.id}")
    assert item is not None and QUESTION in item.get_text()
    assert "first" in item.select_one(".why").get_text()


def test_a_blocked_word_refuses_the_question_next_to_the_field(app: Flask) -> None:
    """A blocking watched phrase: 422, the message beside the question field, nothing stored."""
    _watch("miracle cure", WatchAction.BLOCK)
    event = make_event()
    response = ask(browser(app, make_member()), event, "Is the miracle cure worth it?")
    assert response.status_code == 422
    error = soup(response).select_one("#body-error")
    assert error is not None and "not allowed" in error.get_text()
    assert questions_of(event) == []


def test_a_holding_word_holds_a_trusted_members_question(app: Flask) -> None:
    """A holding watched phrase holds even an established member's question, with the reason for the moderators."""
    _watch("supplement", WatchAction.HOLD)
    event = make_event()
    assert ask(browser(app, make_member()), event, "Which supplement helps?").status_code == 302
    question = only_question(event)
    assert question.status == ContentStatus.PENDING
    assert question.reasons == ['contains the watched phrase "supplement" (hold)']


def test_crisis_words_show_the_panel_and_come_first_in_the_queue(app: Flask) -> None:
    """Crisis words: the author sees the support panel, and the question is urgent, above older items."""
    event = make_event()
    ask(browser(app, make_member(approved_posts=0)), event, "Will the scar fade quickly?")
    response = ask(browser(app, make_member()), event, "Some days I want to die, is that normal after surgery?")
    assert response.status_code == 200
    assert soup(response).select_one(".crisis-panel") is not None
    crisis = questions_of(event)[-1]
    assert crisis.status == ContentStatus.PENDING and crisis.urgent
    queue = soup(browser(app, make_member(role=Role.MODERATOR)).get("/mod/queue"))
    items = [item["id"] for item in queue.select(".event-question-reviews li.queue-item")]
    assert items[0] == f"event-question-{crisis.id}"
    assert "queue-urgent" in queue.select_one(f"#event-question-{crisis.id}")["class"]


@pytest.mark.parametrize(
    "fields",
    [
        {"questions": False},
        {"starts_in": timedelta(hours=-1)},
        {"cancelled_at": utcnow() - timedelta(hours=1)},
    ],
    ids=["not-collecting", "started", "cancelled"],
)
def test_no_questions_when_the_event_does_not_take_them(app: Flask, fields: dict) -> None:
    """An event that does not collect questions, has started or was cancelled refuses them (403), storing nothing."""
    event = make_event(**fields)
    assert ask(browser(app, make_member()), event).status_code == 403
    assert questions_of(event) == []


def test_the_same_question_sent_twice_is_stored_once(app: Flask) -> None:
    """Double submit (a second click with the same form): one question."""
    event = make_event()
    client = browser(app, make_member())
    ask(client, event, QUESTION)
    second = ask(client, event, QUESTION)
    assert second.status_code == 302
    assert len(questions_of(event)) == 1


def test_an_empty_question_is_refused_with_a_message(app: Flask) -> None:
    """Nothing written: 422 and a message beside the field."""
    event = make_event()
    response = ask(browser(app, make_member()), event, "   ")
    assert response.status_code == 422
    assert soup(response).select_one("#body-error") is not None
    assert questions_of(event) == []


def test_a_mentors_crisis_question_is_published_and_still_urgent_in_the_queue(app: Flask) -> None:
    """Mentors are never held, but crisis words still put their question first in the queue, published."""
    event = make_event()
    ask(browser(app, make_member(role=Role.MENTOR)), event, "Some days I want to die, is that normal after surgery?")
    question = only_question(event)
    assert question.status == ContentStatus.VISIBLE and question.in_review and question.urgent
    queue = soup(browser(app, make_member(role=Role.MODERATOR)).get("/mod/queue"))
    assert "published, and flagged for a look" in queue.select_one(f"#event-question-{question.id}").get_text()
