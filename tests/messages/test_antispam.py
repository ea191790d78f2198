"""Anti-spam: members not yet trusted start conversations only with people they have talked with."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models import Role
from app.models.messages import Conversation
from app.services.messages.conversations import has_interacted
from tests.factories import make_conversation, make_member, make_post, make_topic
from tests.support import browser, page_text


@pytest.fixture
def newcomer():  # noqa: ANN201
    return make_member(display_name="New Person", approved_posts=0)


@pytest.fixture
def stranger():  # noqa: ANN201
    return make_member(display_name="Stranger")


def test_newcomer_cannot_cold_message_a_stranger(app: Flask, newcomer, stranger, count, start) -> None:
    """A newer member writing to someone they never talked with is refused with the rule spelled out."""
    response = start(browser(app, newcomer), "Stranger")
    assert response.status_code == 422
    text = page_text(response)
    assert "You haven't talked with Stranger yet." in text
    assert "replied in one of your topics" in text and "messaged you first" in text
    assert "once 2 of your posts have been published" in text
    assert count(Conversation) == 0


def test_newcomer_may_write_to_someone_who_replied_in_their_topic(app: Flask, newcomer, stranger, start) -> None:
    """A published reply by the other member in the newcomer's topic counts as having talked."""
    make_post(topic=make_topic(author=newcomer), author=stranger)
    assert start(browser(app, newcomer), "Stranger").status_code == 302


def test_newcomer_may_write_to_someone_in_whose_topic_they_replied(app: Flask, newcomer, stranger, start) -> None:
    """A published reply by the newcomer in the other member's topic counts as having talked."""
    make_post(topic=make_topic(author=stranger), author=newcomer)
    assert start(browser(app, newcomer), "Stranger").status_code == 302


def test_newcomer_may_answer_someone_who_messaged_them_first(app: Flask, newcomer, stranger, count, start) -> None:
    """Having received a message from the other member counts as having talked."""
    make_conversation(stranger, newcomer)
    assert start(browser(app, newcomer), "Stranger", then="new").status_code == 302
    assert count(Conversation) == 2


def test_a_message_the_newcomer_sent_does_not_count(app: Flask, newcomer, stranger) -> None:
    """Only the other member writing first counts: the newcomer's own messages open nothing."""
    make_conversation(newcomer, stranger)
    assert not has_interacted(newcomer.id, stranger.id)


def test_both_members_of_a_topic_without_replies_have_not_talked(app: Flask, newcomer, stranger) -> None:
    """Writing topics in the same group is not talking: the opening post of a topic is no reply."""
    make_topic(author=stranger)
    make_topic(author=newcomer)
    assert not has_interacted(newcomer.id, stranger.id)


@pytest.mark.parametrize("role", [Role.MENTOR, Role.MODERATOR, Role.STAFF])
def test_newcomer_may_always_write_to_the_team(app: Flask, newcomer, role: Role, start) -> None:
    """Mentors, moderators and staff can always be reached, by anyone."""
    make_member(display_name="Helper", role=role)
    assert start(browser(app, newcomer), "Helper").status_code == 302


def test_trusted_member_may_write_to_anyone(app: Flask, stranger, start) -> None:
    """Once trusted, a member starts conversations with whoever they like."""
    trusted = make_member(approved_posts=10)
    assert start(browser(app, trusted), "Stranger").status_code == 302


def test_one_stranger_among_recipients_refuses_the_whole_conversation(
    app: Flask, newcomer, stranger, count, start
) -> None:
    """The rule applies to every recipient: naming a stranger beside an acquaintance starts nothing."""
    friend = make_member(display_name="Friend")
    make_post(topic=make_topic(author=newcomer), author=friend)
    response = start(browser(app, newcomer), "Friend, Stranger")
    assert response.status_code == 422
    assert "You haven't talked with Stranger yet." in page_text(response)
    assert count(Conversation) == 0
