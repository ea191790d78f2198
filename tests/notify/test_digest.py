"""The daily digest: `flask send-digest` queues one mail per member per day, with what waited for it and the most
helpful new posts they may read, and never a post's text. Delivery is checked against a real SMTP server."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, Delivery, DigestSent, Notification
from app.models.base import utcnow
from app.services.community.helpful import mark_helpful
from app.services.community.posting import reply, start_topic
from app.services.notify.digest import send_digests
from app.services.notify.preferences import deliveries
from tests.factories import group_of, make_member, make_post, make_topic
from tests.support import BASE_URL


@pytest.fixture
def digest_reader(app: Flask, member_in, prefer):  # noqa: ANN201
    """Ann gets replies in a daily digest, and her topic just got a reply."""
    ann = make_member(display_name="Ann Digest")
    prefer(ann, "reply", Delivery.DIGEST)
    topic = start_topic(ann, group_of(ann), "Sleep after surgery", "Any tips for sleeping?").topic
    reply(member_in(topic.group), topic, "Try a wedge pillow.")
    return ann, topic


def run_digest(runner) -> str:  # noqa: ANN001
    result = runner.invoke(args=["send-digest"])
    assert result.exit_code == 0, result.output
    return result.output


def helpful_post(topic, marks: int = 1, **fields):  # noqa: ANN001, ANN003, ANN201
    """A reply in `topic` that `marks` members found helpful."""
    post = make_post(topic=topic, **fields)
    for _ in range(marks):
        mark_helpful(make_member(), post)
    return post


def test_digest_reply_waits_for_the_digest(app: Flask, runner, digest_reader, mail_to) -> None:  # noqa: ANN001
    """A digest kind sends no mail at once; send-digest then queues one mail counting it, with no post text."""
    ann, topic = digest_reader
    assert mail_to(ann) == []
    assert "Queued 1 digest e-mail" in run_digest(runner)
    (mail,) = mail_to(ann)
    assert "Replies in topics you follow: 1" in mail.body_text
    assert "wedge pillow" not in mail.body_text and "wedge pillow" not in mail.body_html
    assert mail.headers["List-Unsubscribe"].startswith(f"<{BASE_URL}/unsubscribe/")


def test_digest_twice_on_one_day_sends_one_mail(app: Flask, runner, digest_reader, mail_to, member_in) -> None:  # noqa: ANN001
    """Running send-digest again the same day, even with news in between, queues nothing more."""
    ann, topic = digest_reader
    run_digest(runner)
    reply(member_in(topic.group), topic, "Another answer.")
    run_digest(runner)
    assert len(mail_to(ann)) == 1
    assert db.session.scalars(select(DigestSent)).all()[0].member_id == ann.id


def test_next_days_digest_holds_only_new_notifications(app: Flask, digest_reader, member_in) -> None:  # noqa: ANN001
    """A notification goes out in one digest only; the next day's digest is about what came after."""
    ann, topic = digest_reader
    assert send_digests() == 1
    assert send_digests(utcnow().date() + timedelta(days=1)) == 0
    reply(member_in(topic.group), topic, "Another answer.")
    assert send_digests(utcnow().date() + timedelta(days=1)) == 1
    assert db.session.scalar(select(Notification).where(Notification.digest_due)) is None


def test_no_digest_without_a_digest_preference(app: Flask, runner, mail_to) -> None:  # noqa: ANN001
    """Members who chose no digest get none, however much happens in their groups."""
    ann = make_member()
    topic = make_topic(group=group_of(ann))
    helpful_post(topic)
    run_digest(runner)
    assert mail_to(ann) == []


def test_digest_lists_helpful_new_posts_the_member_may_read(app: Flask, runner, mail_to, prefer) -> None:  # noqa: ANN001
    """The digest names helpful new posts of the member's groups, most helpful first, leaving out hidden posts,
    other groups and the member's own posts."""
    ann = make_member()
    prefer(ann, "helpful", Delivery.DIGEST)
    topic = make_topic(group=group_of(ann), title="Cooling vests in summer")
    best, good = helpful_post(topic, marks=2), helpful_post(topic)
    hidden = helpful_post(make_topic(group=topic.group, title="A hidden thread"))
    hidden.status = ContentStatus.HIDDEN
    helpful_post(make_topic(title="Another group entirely"))
    helpful_post(make_topic(group=topic.group, title="Ann's own thread"), author=ann)
    db.session.commit()
    run_digest(runner)
    (mail,) = mail_to(ann)
    assert mail.body_text.count("Cooling vests in summer") == 2
    assert mail.body_text.index(f"/p/{best.id}") < mail.body_text.index(f"/p/{good.id}")
    for absent in ("A hidden thread", "Another group entirely", "Ann's own thread", "A reply"):
        assert absent not in mail.body_text


def test_digest_goes_out_over_smtp_and_one_click_stops_it(app: Flask, runner, smtp_server, digest_reader) -> None:  # noqa: ANN001
    """The worker delivers the digest with List-Unsubscribe headers; their one-click POST stops the digest."""
    ann, topic = digest_reader
    run_digest(runner)
    assert runner.invoke(args=["send-mail", "--once"]).exit_code == 0
    (message,) = smtp_server.messages
    assert message["To"] == ann.email
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = urlsplit(message["List-Unsubscribe"].strip("<>")).path
    response = app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert deliveries(ann.id)["reply"] == Delivery.IN_APP
