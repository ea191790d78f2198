"""A member's questions and votes: in their export, and after their account's deletion (kept as "Former member" or
removed with their posts; their votes gone with the counts they added); members-only groups' events' questions."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import EventQuestion, EventQuestionVote, GroupMembership, GroupVisibility
from tests.events.questions_support import ask, make_event, only_question, questions_of, want
from tests.factories import PASSWORD, make_group, make_member
from tests.support import browser, page_text

MINE = "Will the medicine make me tired, Quentin asks?"
THEIRS = "What should I eat before the operation?"


def _export(client) -> dict:  # noqa: ANN001
    response = client.post_form("/account/export")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return json.loads(archive.read("kindred-export.json"))


def _setting(app: Flask):  # noqa: ANN202
    """Quentin asked one question and wanted to know another member's answer too."""
    event = make_event()
    quentin, other = make_member(display_name="Quentin Asker"), make_member()
    ask(browser(app, other), event, THEIRS)
    ask(browser(app, quentin), event, MINE)
    theirs, mine = questions_of(event)
    want(browser(app, quentin), theirs)
    return event, quentin, mine, theirs


def test_export_holds_their_questions_and_votes(app: Flask) -> None:
    """The export lists the question with its words and status, and the vote by question id."""
    _, quentin, mine, theirs = _setting(app)
    data = _export(browser(app, quentin))
    [question] = data["event_questions"]
    assert question["id"] == mine.id and question["body"] == MINE and question["status"] == "visible"
    assert [vote["question_id"] for vote in data["event_question_votes"]] == [theirs.id]
    assert THEIRS not in json.dumps(data)  # another member's words are not theirs to take


@pytest.mark.parametrize("remove_posts", [False, True], ids=["keep-posts", "remove-posts"])
def test_deletion_takes_votes_and_follows_posts_for_questions(app: Flask, remove_posts: bool) -> None:
    """Votes go with their counts; the question stays without its author, or goes with remove_posts."""
    event, quentin, mine, theirs = _setting(app)
    mine_id, theirs_id = mine.id, theirs.id
    data = {"password": PASSWORD, **({"remove_posts": "y"} if remove_posts else {})}
    assert browser(app, quentin).post_form("/account/delete", data).status_code in (302, 303)
    db.session.rollback()
    assert db.session.get(EventQuestion, theirs_id).want_count == 0
    assert db.session.scalars(select(EventQuestionVote)).all() == []
    kept = db.session.get(EventQuestion, mine_id)
    if remove_posts:
        assert kept is None
        assert MINE not in page_text(browser(app).get(f"/events/{event.id}"))
    else:
        assert kept is not None and kept.author_id is None and kept.body == MINE


def test_a_members_only_groups_event_questions_are_for_its_members(app: Flask) -> None:
    """Visitors and members outside the group get 404 and never the questions; a member of the group asks."""
    group = make_group(visibility=GroupVisibility.MEMBERS)
    insider, outsider = make_member(), make_member()
    db.session.add(GroupMembership(member_id=insider.id, group_id=group.id))
    db.session.commit()
    event = make_event(group=group)
    assert ask(browser(app, insider), event, MINE).status_code == 302
    question = only_question(event)
    for client in (browser(app), browser(app, outsider)):
        assert client.get(f"/events/{event.id}/questions").status_code == 404
        assert ask(client, event, "Me too?").status_code == 404
    assert want(browser(app, outsider), question).status_code == 404
    assert len(questions_of(event)) == 1 and only_question(event).want_count == 0
    assert MINE in page_text(browser(app, make_member_in(group)).get(f"/events/{event.id}"))


def make_member_in(group) -> object:  # noqa: ANN001
    member = make_member()
    db.session.add(GroupMembership(member_id=member.id, group_id=group.id))
    db.session.commit()
    return member
