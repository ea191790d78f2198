"""“I want to know too”: once per member (also when sent twice or at the same moment), never on one's own question,
taken back on request; and the host's list, most wanted first."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import EventQuestion, EventQuestionVote, Role
from tests.events.questions_support import ask, make_event, only_question, questions_of, want
from tests.factories import make_member
from tests.support import browser, soup
from tests.web.test_concurrent_toggles import burst


def _published(app: Flask, body: str = "Can I swim with the wound?"):  # noqa: ANN202
    event = make_event()
    author = make_member()
    ask(browser(app, author), event, body)
    return event, author, only_question(event)


def _votes(question: EventQuestion) -> tuple[int, int]:
    """(the denormalised count, the real count) as committed."""
    db.session.rollback()
    real = db.session.scalar(
        select(func.count()).select_from(EventQuestionVote).where(EventQuestionVote.question_id == question.id)
    )
    return db.session.get(EventQuestion, question.id).want_count, real or 0


def test_a_double_post_counts_once(app: Flask) -> None:
    """The same member pressing twice: one vote, counted once."""
    _, _, question = _published(app)
    client = browser(app, make_member())
    assert want(client, question).status_code == 302
    assert want(client, question).status_code == 302
    assert _votes(question) == (1, 1)


def test_simultaneous_votes_count_once_per_member(app: Flask) -> None:
    """Several tabs at once, never a server error: one vote."""
    _, _, question = _published(app)
    burst(app, make_member(), f"/events/questions/{question.id}/want")
    assert _votes(question) == (1, 1)


def test_votes_of_several_members_all_count(app: Flask) -> None:
    """Three members: three."""
    _, _, question = _published(app)
    for _ in range(3):
        want(browser(app, make_member()), question)
    assert _votes(question) == (3, 3)


def test_no_vote_on_ones_own_question(app: Flask) -> None:
    """The author is refused (403) and nothing is counted."""
    _, author, question = _published(app)
    assert want(browser(app, author), question).status_code == 403
    assert _votes(question) == (0, 0)


def test_a_vote_can_be_taken_back_once(app: Flask) -> None:
    """Unwant removes the vote; a second unwant changes nothing."""
    _, _, question = _published(app)
    client = browser(app, make_member())
    want(client, question)
    for _ in range(2):
        assert client.post_form(f"/events/questions/{question.id}/unwant").status_code == 302
    assert _votes(question) == (0, 0)


def test_no_vote_on_a_held_question(app: Flask) -> None:
    """A question waiting for review takes no votes: to others it does not exist (404)."""
    event = make_event()
    ask(browser(app, make_member(approved_posts=0)), event)
    question = only_question(event)
    assert want(browser(app, make_member()), question).status_code == 404
    assert _votes(question) == (0, 0)


def test_the_host_sees_questions_most_wanted_first_oldest_first_among_equals(app: Flask) -> None:
    """Ordering of /staff/events/<id>/questions: by count, ties by age; each with its count."""
    event = make_event()
    bodies = ["First question, asked first?", "Second question, most wanted?", "Third question, asked last?"]
    for body in bodies:
        ask(browser(app, make_member()), event, body)
    first, second, third = questions_of(event)
    for _ in range(2):
        want(browser(app, make_member()), second)
    page = soup(browser(app, make_member(role=Role.STAFF)).get(f"/staff/events/{event.id}/questions"))
    shown = [item["id"] for item in page.select("li.question")]
    assert shown == [f"question-{second.id}", f"question-{first.id}", f"question-{third.id}"]
    assert "2 members want to know too." in page.select_one(f"#question-{second.id}").get_text()


def test_staff_find_the_host_view_from_the_event_page(app: Flask) -> None:
    """The event page links staff (and only staff) to the host's list."""
    event = make_event()
    link = f'a[href="/staff/events/{event.id}/questions"]'
    assert soup(browser(app, make_member(role=Role.STAFF)).get(f"/events/{event.id}")).select_one(link) is not None
    assert soup(browser(app, make_member()).get(f"/events/{event.id}")).select_one(link) is None


def test_the_host_view_is_for_staff(app: Flask) -> None:
    """Members and moderators are refused the host's list."""
    event = make_event(starts_in=timedelta(days=1))
    for member in (make_member(), make_member(role=Role.MODERATOR)):
        assert browser(app, member).get(f"/staff/events/{event.id}/questions").status_code == 403
