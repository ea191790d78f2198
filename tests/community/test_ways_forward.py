"""Ordinary situations offer the way forward in place of an error page: joining to start a topic, one's own post
(no flag), changed guidelines accepted inside the composer, and a suspension explained."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Flag, GroupMembership, Member, MemberStatus, Post, Topic
from app.models.base import utcnow
from app.permissions import GUIDELINES_CHANGED, OWN_POST_FLAG
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser, count_rows, page_text, soup, stored_state, topic_url


def _joined(member: Member, group_id: int) -> bool:
    db.session.rollback()
    return db.session.get(GroupMembership, (member.id, group_id)) is not None


def test_start_topic_before_joining_offers_to_join(app: Flask) -> None:
    """The composer of a group not joined yet is a page with a "Join and start a topic" button, not a 403."""
    member, group = make_member(), make_group()
    response = browser(app, member).get(f"/g/{group.slug}/new")
    assert response.status_code == 200
    form = soup(response).select_one(f'form[action="/g/{group.slug}/join-and-start"]')
    assert form is not None and form.get("method") == "post" and form.select_one('input[name="csrf_token"]')
    assert "Join and start a topic" in form.get_text()


def test_group_page_offers_join_and_start(app: Flask) -> None:
    """A member who has not joined sees the one-step button beside "Join this group"."""
    group = make_group()
    response = browser(app, make_member()).get(f"/g/{group.slug}")
    assert soup(response).select_one(f'form[action="/g/{group.slug}/join-and-start"]') is not None


def test_join_and_start_joins_then_opens_the_composer(app: Flask) -> None:
    """The button joins the group (counted once) and lands on the new-topic form."""
    member, group = make_member(), make_group()
    client = browser(app, member)
    response = client.post_form(f"/g/{group.slug}/join-and-start")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/g/{group.slug}/new")
    assert _joined(member, group.id)
    assert client.post_form(f"/g/{group.slug}/join-and-start").status_code == 302  # twice is harmless
    db.session.rollback()
    assert db.session.get(type(group), group.id).member_count == 1
    assert soup(client.get(f"/g/{group.slug}/new")).select_one('textarea[name="body"]') is not None


def test_join_and_start_needs_csrf(app: Flask) -> None:
    """Without the form's token nothing is joined."""
    member, group = make_member(), make_group()
    assert browser(app, member).post(f"/g/{group.slug}/join-and-start").status_code == 400
    assert not _joined(member, group.id)


def test_join_and_start_refused_in_an_archived_group(app: Flask) -> None:
    """An archived group takes no topics: the shortcut is refused and not offered."""
    member, group = make_member(), make_group(archived=True)
    client = browser(app, member)
    assert client.post_form(f"/g/{group.slug}/join-and-start").status_code == 403
    assert not _joined(member, group.id)
    assert soup(client.get(f"/g/{group.slug}")).select_one('form[action$="/join-and-start"]') is None


def test_visitor_cannot_join_and_start(app: Flask) -> None:
    """Visitors are sent to sign in; nothing is written."""
    group = make_group()
    before = stored_state()
    response = browser(app).post_form(f"/g/{group.slug}/join-and-start")
    assert response.status_code in (302, 403)
    assert stored_state() == before


def test_no_flag_link_on_own_post(app: Flask) -> None:
    """One's own post offers edit and delete, not flag."""
    member = make_member()
    post = make_post(author=member)
    page = soup(browser(app, member).get(topic_url(post.topic)))
    assert page.select_one(f'#p{post.id} a[href="/p/{post.id}/flag"]') is None
    assert page.select_one(f'#p{post.id} a[href="/p/{post.id}/edit"]') is not None


def test_flagging_own_post_anyway_is_a_kind_notice(app: Flask) -> None:
    """A flag form sent for one's own post leads back to the post with a notice; no flag, no error page."""
    member = make_member()
    post = make_post(author=member)
    client = browser(app, member)
    response = client.post_form(f"/p/{post.id}/flag", {"reason": "spam"})
    assert response.status_code == 302 and f"#p{post.id}" in response.headers["Location"]
    assert str(OWN_POST_FLAG) in page_text(client.get(response.headers["Location"]))
    assert count_rows(Flag) == 0


def _outdated(**fields: object) -> Member:
    return make_member(guidelines_outdated=True, **fields)


def test_reply_box_carries_the_guidelines_box(app: Flask) -> None:
    """A member who must accept changed guidelines gets the reply form with the accept box, not a bare notice."""
    member = _outdated()
    topic = make_topic(group=make_group(members=(member,)))
    page = soup(browser(app, member).get(topic_url(topic)))
    assert page.select_one('form[action$="/reply"] input[name="accept_guidelines"]') is not None
    assert str(GUIDELINES_CHANGED) in page.get_text(" ")


def test_reply_without_accepting_keeps_the_text(app: Flask) -> None:
    """Sending the reply without ticking the box stores nothing and shows the words typed, with what to do."""
    member = _outdated()
    topic = make_topic(group=make_group(members=(member,)))
    before = stored_state()
    response = browser(app, member).post_form(f"/t/{topic.id}/reply", {"body": "My carefully typed words"})
    assert response.status_code == 422
    assert soup(response).select_one('textarea[name="body"]').get_text().strip() == "My carefully typed words"
    assert "Please tick the box to accept the guidelines" in page_text(response)
    assert stored_state() == before


def test_reply_with_the_box_ticked_accepts_and_posts(app: Flask) -> None:
    """Ticking the box records the acceptance and posts the reply in one go."""
    member = _outdated()
    topic = make_topic(group=make_group(members=(member,)))
    data = {"body": "My carefully typed words", "accept_guidelines": "y"}
    assert browser(app, member).post_form(f"/t/{topic.id}/reply", data).status_code == 302
    db.session.rollback()
    assert db.session.get(Member, member.id).guidelines_outdated is False
    assert db.session.scalars(select(Post.raw).where(Post.author_id == member.id)).all() == [data["body"]]


def test_new_topic_with_guidelines_to_accept(app: Flask) -> None:
    """The new-topic composer opens (with the box) instead of a 403, and posts once the box is ticked."""
    member = _outdated()
    group = make_group(members=(member,))
    client = browser(app, member)
    response = client.get(f"/g/{group.slug}/new")
    assert response.status_code == 200 and soup(response).select_one('input[name="accept_guidelines"]') is not None
    data = {"title": "Sleeping after surgery", "body": "How did you manage the first nights?"}
    kept = client.post_form(f"/g/{group.slug}/new", data)
    assert kept.status_code == 422 and soup(kept).select_one('input[name="title"]')["value"] == data["title"]
    assert client.post_form(f"/g/{group.slug}/new", {**data, "accept_guidelines": "y"}).status_code == 302
    db.session.rollback()
    assert db.session.scalars(select(Topic.title).where(Topic.group_id == group.id)).all() == [data["title"]]


def test_suspended_member_is_told_until_when_why_and_what_remains(app: Flask) -> None:
    """A suspended member refused a post reads the end date, the reason and what they can still do."""
    until = utcnow() + timedelta(days=3)
    member = make_member(status=MemberStatus.SUSPENDED, suspended_until=until, suspension_reason="Repeated spam links")
    group = make_group(members=(member,))
    response = browser(app, member).get(f"/g/{group.slug}/new")
    assert response.status_code == 403
    text = page_text(response)
    assert "Your account is suspended" in text and "Repeated spam links" in text
    assert until.strftime("%Y") in text and "The suspension ends on" in text
    links = {a["href"] for a in soup(response).select("main a")}
    assert "/account/export" in links and "/" in links
    assert "Go to the groups" not in text


def test_indefinite_suspension_says_a_moderator_lifts_it(app: Flask) -> None:
    """Without an end date the page says so rather than inventing one."""
    member = make_member(status=MemberStatus.SUSPENDED, suspension_reason="Harassment")
    post = make_post()
    response = browser(app, member).post_form(f"/p/{post.id}/flag", {"reason": "spam"})
    assert response.status_code == 403
    assert "no end date" in page_text(response) and "Harassment" in page_text(response)
