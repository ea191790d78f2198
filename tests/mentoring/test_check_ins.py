"""Check-ins on /mentor: members whose post went through crisis routing and who have been away since."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import CheckIn, CheckInMethod, ContentStatus, Member, Post
from app.models.base import utcnow
from tests.conftest import FormClient
from tests.factories import make_member, make_post, make_topic
from tests.mentoring.conftest import away_for, crisis_routed
from tests.support import browser, page, soup


def listed(client: FormClient) -> list[int]:
    """The post ids of the check-in list, in order."""
    response = client.get("/mentor")
    assert response.status_code == 200
    return [int(li["id"][1:]) for li in soup(response).select(".check-in-item")]


def crisis_member(days_away: float, status: ContentStatus = ContentStatus.VISIBLE) -> tuple[Member, Post]:
    member = make_member(display_name="Casey Crisis", email="casey@example.org", bio="Private bio words")
    post = crisis_routed(make_post(topic=make_topic(), author=member, body="I cannot go on", status=status))
    away_for(member, days_away)
    return member, post


def check_ins() -> list[CheckIn]:
    db.session.rollback()
    return list(db.session.scalars(select(CheckIn)))


def test_a_crisis_routed_member_away_for_the_set_days_is_listed(app: Flask, mentor_client: FormClient) -> None:
    """After KINDRED_CHECKIN_DAYS (3) without a visit or a post, the member is on the list with a link to the post."""
    _, post = crisis_member(3.1)
    assert listed(mentor_client) == [post.id]
    item = soup(mentor_client.get("/mentor")).select_one(f"#c{post.id}")
    assert "Casey Crisis" in item.get_text()
    assert item.select_one(f"a[href='/p/{post.id}']") is not None


def test_nothing_else_about_the_member_is_shown(app: Flask, mentor_client: FormClient) -> None:
    """No e-mail address, no bio, no activity: a name and the post link only."""
    crisis_member(4)
    text = page(mentor_client.get("/mentor"))
    assert "casey@example.org" not in text and "Private bio words" not in text


def test_a_member_seen_recently_is_not_listed(app: Flask, mentor_client: FormClient) -> None:
    """Within the days set, or after a recent visit, the member is not on the list yet."""
    member, post = crisis_member(2.9)
    assert listed(mentor_client) == []
    away_for(member, 5)
    member.last_seen_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert listed(mentor_client) == []


def test_a_member_who_posted_recently_is_not_listed(app: Flask, mentor_client: FormClient) -> None:
    """A post since (even without a recorded visit) keeps the member off the list."""
    member, post = crisis_member(5)
    make_post(topic=post.topic, author=member, body="Feeling a little better")
    assert listed(mentor_client) == []


def test_absence_without_crisis_routing_is_not_listed(app: Flask, mentor_client: FormClient) -> None:
    """Only crisis-routed posts bring a member to the list, however long they are away."""
    member = make_member()
    make_post(topic=make_topic(), author=member)
    away_for(member, 30)
    assert listed(mentor_client) == []


@pytest.mark.parametrize("app_overrides", [{"CHECKIN_DAYS": 7}], ids=["7-days"])
def test_the_days_come_from_the_setting(app: Flask, mentor_client: FormClient) -> None:
    """With KINDRED_CHECKIN_DAYS=7, five days away is not enough, eight is."""
    member, post = crisis_member(5)
    assert listed(mentor_client) == []
    away_for(member, 8)
    assert listed(mentor_client) == [post.id]


def test_a_held_post_is_listed_without_a_link(app: Flask, mentor_client: FormClient) -> None:
    """A crisis-routed post still waiting for review lists the member, but a mentor gets no link to it."""
    _, post = crisis_member(4, ContentStatus.PENDING)
    assert listed(mentor_client) == [post.id]
    item = soup(mentor_client.get("/mentor")).select_one(f"#c{post.id}")
    assert item.select_one(f"a[href='/p/{post.id}']") is None and "I cannot go on" not in item.get_text()
    assert "Their post is not available to you." in item.get_text()


@pytest.mark.parametrize("how", ["message", "reply"])
def test_marking_checked_in_takes_the_member_off_the_list(
    app: Flask, mentor_client: FormClient, mentor: Member, how: str
) -> None:
    """ "Checked in" with the way chosen records it, and the member leaves the list."""
    member, post = crisis_member(4)
    response = mentor_client.post_form(f"/mentor/check-ins/{post.id}", {"how": how})
    assert response.status_code == 302
    [row] = check_ins()
    assert (row.member_id, row.checked_by_id, row.how) == (member.id, mentor.id, CheckInMethod(how))
    assert listed(mentor_client) == []


@pytest.mark.parametrize("how", ["", "phone", "x" * 300])
def test_a_missing_or_unknown_way_is_refused_next_to_the_choice(
    app: Flask, mentor_client: FormClient, how: str
) -> None:
    """Without a valid choice the page comes back with 422, the reason beside the choice, and nothing stored."""
    _, post = crisis_member(4)
    response = mentor_client.post_form(f"/mentor/check-ins/{post.id}", {"how": how})
    assert response.status_code == 422
    error = soup(response).select_one(f"#c{post.id}-how-error")
    assert error is not None and "Please choose how you checked in" in error.get_text()
    assert check_ins() == []


def test_a_second_mark_is_refused_and_stores_one_row(app: Flask, mentor_client: FormClient) -> None:
    """Marking twice (another mentor, or a second click) keeps one check-in."""
    _, post = crisis_member(4)
    mentor_client.post_form(f"/mentor/check-ins/{post.id}", {"how": "message"})
    response = mentor_client.post_form(f"/mentor/check-ins/{post.id}", {"how": "reply"}, follow_redirects=True)
    assert "no longer on the check-in list" in page(response)
    assert len(check_ins()) == 1


def test_a_later_crisis_post_lists_the_member_again(app: Flask, mentor_client: FormClient) -> None:
    """After a check-in, a new crisis-routed post brings the member back once they are away again."""
    member, post = crisis_member(10)
    mentor_client.post_form(f"/mentor/check-ins/{post.id}", {"how": "message"})
    later = crisis_routed(make_post(topic=post.topic, author=member, body="It is hard again"))
    away_for(member, 4)
    assert listed(mentor_client) == [later.id]


def test_members_cannot_see_or_mark_check_ins(app: Flask) -> None:
    """A plain member gets 403 and nothing is stored."""
    _, post = crisis_member(4)
    client = browser(app, make_member())
    assert client.get("/mentor").status_code == 403
    assert client.post_form(f"/mentor/check-ins/{post.id}", {"how": "message"}).status_code == 403
    assert check_ins() == []


def test_the_message_link_opens_a_message_to_the_member(app: Flask, mentor_client: FormClient) -> None:
    """ "Write them a private message" opens the composer addressed to that member."""
    member, post = crisis_member(4)
    link = soup(mentor_client.get("/mentor")).select_one(f"#c{post.id} a[href^='/messages/new']")
    composer = soup(mentor_client.get(link["href"]))
    assert composer.select_one("input[name='to']")["value"] == "Casey Crisis"
