"""What members are told and when: replies only once published, mentions, helpful marks, messages, preferences."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import ContentStatus, Delivery, Notification, Role
from app.services.common.audit import notify
from app.services.community.helpful import mark_helpful
from app.services.community.posting import edit_post, reply, start_topic
from app.services.notify.notifications import announce_published
from tests.factories import group_of, held_reply, make_member, make_post, make_topic
from tests.support import BASE_URL, browser, decide_on_page, notifications_of

MAX_STATEMENTS = 8


@pytest.fixture
def app_overrides() -> dict:
    return {"BASE_URL": BASE_URL}


@pytest.fixture
def thread(app: Flask, newcomer):  # noqa: ANN201
    """Ann's topic, which Ann follows, in a group that Nia (a newcomer) joined too; and a moderator."""
    ann, nia = make_member(display_name="Ann Follower"), newcomer()
    topic = start_topic(ann, group_of(ann, nia), "Sleep after surgery", "Any tips for sleeping?").topic
    return ann, nia, topic, make_member(role=Role.MODERATOR)


def test_held_reply_notifies_nobody_until_approved_then_once(app: Flask, thread) -> None:  # noqa: ANN001
    """A held reply tells the followers nothing; approval tells them once, and approving again changes nothing."""
    ann, nia, topic, moderator = thread
    item = held_reply(nia, topic)
    assert notifications_of(ann) == []
    decide_on_page(browser(app, moderator), item, "approve")
    assert len(notifications_of(ann, "reply")) == 1
    post = item.post
    post.status = ContentStatus.PENDING  # held again (an edit with crisis words), then approved again
    db.session.commit()
    announce_published(post)
    db.session.commit()
    assert len(notifications_of(ann, "reply")) == 1


@pytest.mark.parametrize("action", ["hide", "reject"])
def test_held_reply_hidden_or_rejected_notifies_nobody(app: Flask, thread, action: str) -> None:  # noqa: ANN001
    """A held reply that a moderator hides or rejects is never announced to the followers."""
    ann, nia, topic, moderator = thread
    item = held_reply(nia, topic)
    decide_on_page(browser(app, moderator), item, action, note="Not for this forum.")
    assert notifications_of(ann) == []
    assert [n.kind for n in notifications_of(nia)] == [f"post_{'hidden' if action == 'hide' else 'rejected'}"]


def test_mention_links_to_the_profile_and_notifies_once(app: Flask) -> None:
    """`@[Display Name]` of a member becomes a profile link and one mention notice (not a reply notice too)."""
    ann, bob = make_member(display_name="Ann Lee"), make_member()
    topic = start_topic(ann, group_of(ann, bob), "Sleep after surgery", "Any tips for sleeping?").topic
    post = reply(bob, topic, "What do you think, @[ann lee]?").post
    link = BeautifulSoup(post.cooked, "html.parser").find("a", class_="mention")
    assert link is not None and link["href"] == "/u/Ann%20Lee" and link.get_text() == "@Ann Lee"
    assert [n.kind for n in notifications_of(ann)] == ["mention"]


def test_short_mention_without_brackets(app: Flask) -> None:
    """`@Name` works for names without spaces, and a trailing full stop is not part of the name."""
    bob = make_member(display_name="Bob")
    post = make_post(author=make_member())
    posted = edit_post(post.author, post, "Thanks @Bob.")
    assert '<a href="/u/Bob" class="mention">@Bob</a>.' in posted.post.cooked
    assert [n.kind for n in notifications_of(bob)] == ["mention"]


def test_mention_of_a_non_member_stays_plain_text(app: Flask, member_in) -> None:
    """A name nobody has is left as written, with no link and no notice."""
    topic = make_topic()
    post = reply(member_in(topic.group), topic, "Ask @[Nobody Here] or @ghost about it.").post
    assert "<a" not in post.cooked and "@[Nobody Here]" in post.cooked and "@ghost" in post.cooked
    assert db.session.query(Notification).filter_by(kind="mention").count() == 0


def test_email_addresses_and_code_are_not_mentions(app: Flask, member_in) -> None:
    """ "ann@example.org" and `@Ann` in code mention nobody."""
    ann = make_member(display_name="Ann")
    topic = make_topic()
    reply(member_in(topic.group), topic, "Write to me@Ann.org or see `@Ann`.")
    assert notifications_of(ann) == []


def test_held_post_mentions_notify_only_when_approved(app: Flask, thread) -> None:  # noqa: ANN001
    """A mention in a held post tells nobody until a moderator approves it."""
    ann, nia, topic, moderator = thread
    cat = make_member(display_name="Cat")
    item = held_reply(nia, topic, "Hello @Cat, thanks for the welcome.")
    assert notifications_of(cat) == []
    decide_on_page(browser(app, moderator), item, "approve")
    assert [n.kind for n in notifications_of(cat)] == ["mention"]


def test_mention_added_by_an_edit_notifies_once(app: Flask) -> None:
    """Editing a published post to add a mention tells that member; a later edit does not tell them again."""
    cat = make_member(display_name="Cat")
    post = make_post()
    edit_post(post.author, post, "Hello @Cat")
    edit_post(post.author, post, "Hello again @Cat")
    assert len(notifications_of(cat, "mention")) == 1


def test_helpful_mark_tells_the_author_without_naming_who(app: Flask) -> None:
    """A helpful mark notifies the reply's author, without saying who marked it."""
    post = make_post()
    marker = make_member(display_name="Secret Marker")
    mark_helpful(marker, post)
    (notice,) = notifications_of(post.author, "helpful")
    assert "Secret Marker" not in notice.message and notice.link == f"/p/{post.id}"


def test_message_kind_is_e_mailed_by_default_without_the_text(app: Flask, mail_to) -> None:
    """A new private message (kind "message") is in-app and e-mailed by default; the mail holds no message text."""
    ann = make_member()
    notify(ann.id, "message", "Bob sent you a message: my private diagnosis", "/messages/1")
    db.session.commit()
    (mail,) = mail_to(ann)
    assert "diagnosis" not in mail.body_text and "diagnosis" not in (mail.body_html or "")
    assert mail.headers["List-Unsubscribe"].startswith(f"<{BASE_URL}/unsubscribe/")
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(notifications_of(ann, "message")) == 1


def test_reply_by_email_carries_no_title_or_body(app: Flask, thread, mail_to, member_in, prefer) -> None:  # noqa: ANN001
    """With replies set to e-mail, the mail says a reply came and links to sign in: no title, no text."""
    ann, nia, topic, moderator = thread
    prefer(ann, "reply", Delivery.EMAIL)
    reply(member_in(topic.group), topic, "Try a wedge pillow.")
    (mail,) = mail_to(ann)
    (notice,) = notifications_of(ann, "reply")
    for secret in ("Sleep after surgery", "wedge pillow"):
        assert secret not in mail.subject and secret not in mail.body_text and secret not in mail.body_html
    assert f"{BASE_URL}/notifications/{notice.id}/open" in mail.body_text


def test_none_preference_tells_nothing(app: Flask, thread, mail_to, member_in, prefer) -> None:  # noqa: ANN001
    """A kind set to "none" leaves no notification and sends no mail."""
    ann, nia, topic, moderator = thread
    prefer(ann, "reply", Delivery.NONE)
    reply(member_in(topic.group), topic, "Try a wedge pillow.")
    assert notifications_of(ann) == [] and mail_to(ann) == []


def test_moderation_decision_follows_the_preference(app: Flask, thread, mail_to, prefer) -> None:  # noqa: ANN001
    """Decisions about a post are e-mailed by default, and only in-app once the member chooses so."""
    ann, nia, topic, moderator = thread
    decide_on_page(browser(app, moderator), held_reply(nia, topic), "approve")
    assert len(mail_to(nia)) == 1
    prefer(nia, "moderation", Delivery.IN_APP)
    decide_on_page(browser(app, moderator), held_reply(nia, topic, "Second held reply."), "approve")
    assert len(mail_to(nia)) == 1 and len(notifications_of(nia, "post_approved")) == 2


def test_unverified_address_gets_no_mail_when_verification_is_on(app: Flask, mail_to) -> None:
    """With e-mail verification on, an unconfirmed address is never written to; the notice stays in-app."""
    app.config["VERIFY_EMAIL"] = True
    ann = make_member(email_verified_at=None)
    notify(ann.id, "message", "You have a new message.", "/messages/1")
    db.session.commit()
    assert mail_to(ann) == [] and len(notifications_of(ann)) == 1


def test_mark_one_and_mark_all_as_read(app: Flask) -> None:
    """Mark as read clears one notice, Mark all as read the rest, and the header count follows."""
    ann = make_member()
    for n in range(3):
        notify(ann.id, "helpful", f"Notice {n}", "/")
    db.session.commit()
    client = browser(app, ann)
    first = notifications_of(ann)[0]
    assert 'class="count">3<' in client.get("/notifications").get_data(as_text=True)
    client.post_form(f"/notifications/{first.id}/read")
    assert 'class="count">2<' in client.get("/").get_data(as_text=True)
    client.post_form("/notifications/read-all")
    assert all(n.read_at is not None for n in notifications_of(ann))
    assert 'class="count">' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("size", [3, 30])
def test_notifications_page_runs_fixed_statements(
    app: Flask, client: FlaskClient, count_queries: Callable, login_as: Callable, size: int
) -> None:
    """The notifications page, with its unread count in the header, runs at most 8 statements for 3 or 30 items."""
    ann = make_member()
    for n in range(size):
        notify(ann.id, "helpful", f"Notice {n}", "/")
    db.session.commit()
    login_as(ann)
    client.get("/guidelines")
    with client.application.app_context(), count_queries() as counter:
        response = client.get("/notifications")
    assert response.get_data(as_text=True).count('<li class="card') == size
    assert len(counter) <= MAX_STATEMENTS


def test_notification_cards_carry_no_dangling_separator(app: Flask, client: FlaskClient, login_as: Callable) -> None:
    """A card is its message, its time and its actions: no "·" left over whichever of them are missing."""
    ann = make_member()
    notify(ann.id, "helpful", "With a link", "/guidelines")
    notify(ann.id, "helpful", "Without a link", "")
    db.session.commit()
    login_as(ann)
    page = BeautifulSoup(client.get("/notifications").get_data(as_text=True), "html.parser")
    cards = page.select("li.notification")
    assert len(cards) == 2
    assert all("·" not in card.get_text() for card in cards)
    assert all(card.select_one(".notification-meta time") for card in cards)
