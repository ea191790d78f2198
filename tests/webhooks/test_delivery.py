"""Deliveries: queued with the event, signed, filtered by event, public content only, retried with back-off."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, DeliveryStatus, GroupVisibility, Post, ReviewItem, Role, Topic, WebhookDelivery
from app.models.base import utcnow
from app.services.community.posting import start_topic
from app.services.content.announcements import create_announcement
from app.services.content.resources import feature_post
from app.services.moderation.queue import Decision, decide
from app.services.webhooks import emit
from app.services.webhooks.sending import send_due_webhooks
from tests.events.test_staff_form import GOOD as EVENT_FORM
from tests.factories import make_group, make_member, make_topic
from tests.webhooks.conftest import SECRET, make_webhook
from tests.webhooks.receiver import Receiver, signature_ok


def _deliveries() -> list[WebhookDelivery]:
    db.session.rollback()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _new_topic(visibility: GroupVisibility = GroupVisibility.PUBLIC, name_goes=True, **group_fields):  # noqa: ANN001, ANN003, ANN202
    author = make_member(
        display_name="Ada Author",
        email="ada@example.org",
        approved_posts=10,
        repost_consent=name_goes,
        repost_name_consent=name_goes,
    )
    group = make_group(name="Heart health", members=(author,), visibility=visibility, **group_fields)
    return start_topic(author, group, "Walking after surgery", "What helped you start walking again?")


def test_receiver_verifies_the_signature_of_a_new_topic(app: Flask, receiver: Receiver) -> None:
    """A new public topic reaches the receiver signed with the secret, with the documented headers and JSON."""
    make_webhook(receiver.url)
    posted = _new_topic()
    assert send_due_webhooks().sent == 1
    (request,) = receiver.received
    assert signature_ok(SECRET, request.headers, request.body)
    assert not signature_ok("another-secret-entirely", request.headers, request.body)
    assert request.headers["X-Kindred-Event"] == "topic.created"
    assert request.headers["X-Kindred-Delivery"] == str(_deliveries()[0].id)
    payload = json.loads(request.body)
    assert payload["event"] == "topic.created"
    assert payload["data"]["topic"]["title"] == "Walking after surgery"
    assert payload["data"]["topic"]["url"].endswith(f"/t/{posted.topic.id}/{posted.topic.slug}")
    assert payload["data"]["group"]["name"] == "Heart health"
    assert payload["data"]["author"] == {"display_name": "Ada Author"}
    assert "ada@example.org" not in request.body.decode()
    assert _deliveries()[0].status == DeliveryStatus.SENT


def test_the_author_is_named_only_with_their_consent(app: Flask, receiver: Receiver) -> None:
    make_webhook(receiver.url)
    _new_topic(name_goes=False)
    send_due_webhooks()
    (request,) = receiver.received
    assert json.loads(request.body)["data"]["author"] is None
    assert b"Ada Author" not in request.body


def test_a_changed_body_fails_the_signature(app: Flask, receiver: Receiver) -> None:
    """The signature covers the body and the timestamp: altering either is detected by the receiver."""
    make_webhook(receiver.url)
    _new_topic()
    send_due_webhooks()
    (request,) = receiver.received
    assert not signature_ok(SECRET, request.headers, request.body.replace(b"Walking", b"Running"))
    older = {**request.headers, "X-Kindred-Timestamp": str(int(request.headers["X-Kindred-Timestamp"]) - 1)}
    assert not signature_ok(SECRET, older, request.body)


def test_only_chosen_events_are_delivered(app: Flask, receiver: Receiver) -> None:
    """A webhook listening to announcements only hears nothing about a new topic; one listening to all hears both."""
    make_webhook(receiver.url, events=["announcement.published"])
    everything = Receiver().start()
    try:
        make_webhook(everything.url)
        _new_topic()
        create_announcement(make_member(role=Role.STAFF), "The forum is closed on Sunday.", None)
        send_due_webhooks()
        assert [r.headers["X-Kindred-Event"] for r in receiver.received] == ["announcement.published"]
        assert sorted(r.headers["X-Kindred-Event"] for r in everything.received) == [
            "announcement.published",
            "topic.created",
        ]
        assert json.loads(receiver.received[0].body)["data"]["announcement"]["text"] == "The forum is closed on Sunday."
    finally:
        everything.stop()


def test_members_only_group_emits_nothing(app: Flask, receiver: Receiver) -> None:
    """A topic in a members-only group is never told to other systems."""
    make_webhook(receiver.url)
    _new_topic(GroupVisibility.MEMBERS)
    assert _deliveries() == []
    assert send_due_webhooks().handled == 0
    assert receiver.received == []


def test_held_topic_is_announced_only_once_approved(app: Flask, receiver: Receiver) -> None:
    """A topic held for review sends nothing while it waits, and is delivered when a moderator approves it."""
    make_webhook(receiver.url)
    posted = _new_topic(review_all_posts=True)
    assert posted.held
    assert _deliveries() == []
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.post_id == posted.post.id))
    with app.test_request_context():
        decide(make_member(role=Role.MODERATOR), item.id, Decision("approve"))
    send_due_webhooks()
    assert [json.loads(r.body)["data"]["topic"]["id"] for r in receiver.received] == [posted.topic.id]


def test_featured_post_of_a_public_group_is_delivered(app: Flask, receiver: Receiver) -> None:
    """Featuring a public post as a resource sends `resource.featured`; in a members-only group it sends nothing."""
    make_webhook(receiver.url, events=["resource.featured"])
    staff = make_member(role=Role.STAFF)
    public = make_topic(group=make_group(), title="Recipes that helped")
    hidden = make_topic(group=make_group(visibility=GroupVisibility.MEMBERS), title="Private matters")
    with app.test_request_context():
        feature_post(staff, _opening(public))
        feature_post(staff, _opening(hidden))
    send_due_webhooks()
    (request,) = receiver.received
    data = json.loads(request.body)["data"]
    assert data["resource"]["title"] == "Recipes that helped"
    assert "Private matters" not in request.body.decode()


def _opening(topic: Topic) -> Post:
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.is_opening.is_(True)))


def test_nothing_is_queued_when_the_event_rolls_back(app: Flask, receiver: Receiver) -> None:
    """Deliveries live in the event's own transaction: an event that is not committed sends nothing."""
    make_webhook(receiver.url)
    emit("topic.created", {"topic": {"id": 1}})
    db.session.rollback()
    assert _deliveries() == []


def test_retries_with_back_off_while_the_receiver_is_down(app: Flask, receiver: Receiver) -> None:
    """A stopped receiver means a failed attempt and a retry a minute later, then five; started again, it gets it."""
    make_webhook(receiver.url)
    receiver.stop()
    _new_topic()
    before = utcnow()
    assert send_due_webhooks().retrying == 1
    (delivery,) = _deliveries()
    assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
    assert delivery.response_code is None and delivery.last_error
    assert before + timedelta(seconds=55) <= delivery.send_after <= utcnow() + timedelta(seconds=65)
    assert send_due_webhooks().handled == 0  # not due yet
    delivery.send_after = utcnow()
    db.session.commit()
    assert send_due_webhooks().retrying == 1
    (delivery,) = _deliveries()
    assert delivery.attempts == 2
    assert delivery.send_after >= utcnow() + timedelta(minutes=4)
    receiver.start()  # the same port again
    delivery.send_after = utcnow()
    db.session.commit()
    assert send_due_webhooks().sent == 1
    (delivery,) = _deliveries()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 3 and delivery.response_code == 200
    assert len(receiver.received) == 1


def test_gives_up_after_the_last_attempt(app: Flask, receiver: Receiver) -> None:
    """An answer other than 2xx counts as a failure; after WEBHOOK_MAX_ATTEMPTS the delivery is marked failed."""
    receiver.status = 500
    make_webhook(receiver.url)
    _new_topic()
    for _ in range(app.config["WEBHOOK_MAX_ATTEMPTS"]):
        for delivery in _deliveries():
            delivery.send_after = utcnow()
        db.session.commit()
        send_due_webhooks()
    (delivery,) = _deliveries()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == app.config["WEBHOOK_MAX_ATTEMPTS"] == len(receiver.received)
    assert delivery.response_code == 500


def test_redirect_is_not_followed(app: Flask, receiver: Receiver) -> None:
    """A receiver answering with a redirect (here to another loopback server) is not followed: a failed try."""
    target = Receiver().start()
    try:
        receiver.status, receiver.location = 307, target.url
        make_webhook(receiver.url)
        _new_topic()
        assert send_due_webhooks().retrying == 1
        (delivery,) = _deliveries()
        assert delivery.response_code == 307 and delivery.last_error == "redirect not followed"
        assert target.received == []
    finally:
        target.stop()


def test_inline_delivery_right_after_the_request(app: Flask, receiver: Receiver, staff) -> None:  # noqa: ANN001
    """With WEBHOOK_INLINE (development), the request that queued a delivery sends it once committed."""
    app.config["WEBHOOK_INLINE"] = True
    make_webhook(receiver.url, events=["announcement.published"])
    response = staff.post_form("/staff/announcements", {"body": "Welcome to the new forum."})
    assert response.status_code == 302
    assert [r.headers["X-Kindred-Event"] for r in receiver.received] == ["announcement.published"]
    assert _deliveries()[0].status == DeliveryStatus.SENT


def test_worker_command_sends_deliveries(app: Flask, receiver: Receiver, runner) -> None:  # noqa: ANN001
    """`send-mail --once` (the production worker) sends due webhook deliveries too."""
    make_webhook(receiver.url)
    _new_topic()
    result = runner.invoke(args=["send-mail", "--once"])
    assert "Webhooks: sent 1" in result.output
    assert len(receiver.received) == 1


def test_back_off_schedule() -> None:
    """Retries wait 1 minute, 5, 30, 2 hours, then 12 hours for every later try."""
    from app.services.webhooks.sending import backoff

    assert [backoff(n) for n in range(1, 8)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=12),
        timedelta(hours=12),
        timedelta(hours=12),
    ]


def test_logs_name_no_secret_address_or_body(app: Flask, receiver: Receiver, caplog) -> None:  # noqa: ANN001
    """Sent, failed and refused deliveries are logged by id and reason: never the secret, the address's path or
    the body."""
    caplog.set_level("DEBUG")
    make_webhook(receiver.url.replace("/hook", "/path-token-123"))
    _new_topic()
    send_due_webhooks()
    receiver.status = 500
    emit("event.created", {"event": {"title": "Body words here"}})
    db.session.commit()
    send_due_webhooks()
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    emit("event.created", {"event": {"title": "Body words here"}})
    db.session.commit()
    send_due_webhooks()
    assert "webhook delivery" in caplog.text
    for secret in (SECRET, "path-token-123", "Walking after surgery", "Body words here", "ada@example.org"):
        assert secret not in caplog.text


def test_a_topic_hidden_while_its_delivery_waits_is_never_sent(app: Flask, receiver: Receiver) -> None:
    """The receiver is down; meanwhile a moderator hides the topic: the retry is withdrawn, nothing is sent."""
    from app.services.moderation.queue import take_down

    make_webhook(receiver.url)
    receiver.stop()
    posted = _new_topic()
    assert send_due_webhooks().retrying == 1
    take_down(db.session.get(Post, posted.post.id), ContentStatus.HIDDEN)
    db.session.commit()
    receiver.start()
    (delivery,) = _deliveries()
    delivery.send_after = utcnow()
    db.session.commit()
    assert send_due_webhooks().failed == 1
    (delivery,) = _deliveries()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error == "withdrawn: no longer public"
    assert receiver.received == []


def test_deleting_the_post_removes_its_waiting_deliveries(app: Flask, receiver: Receiver) -> None:
    """A post removed for good takes its queued deliveries with it."""
    from app.services.common.rows import delete_rows

    make_webhook(receiver.url)
    posted = _new_topic()
    assert len(_deliveries()) == 1
    delete_rows(Post.__table__, [posted.post.id])
    db.session.commit()
    assert _deliveries() == []


def test_a_new_public_event_is_delivered_without_its_online_link(app: Flask, receiver: Receiver, staff) -> None:  # noqa: ANN001
    """Staff create an event through the form: receivers get its public details, never the joining link."""
    make_webhook(receiver.url, events=["event.created"])
    response = staff.post_form(
        "/staff/events/new", {**EVENT_FORM, "online_url": "https://meet.example.org/secret-room"}
    )
    assert response.status_code == 302
    send_due_webhooks()
    (request,) = receiver.received
    assert request.headers["X-Kindred-Event"] == "event.created"
    data = json.loads(request.body)["data"]
    assert data["event"]["title"] == EVENT_FORM["title"] and data["event"]["url"].endswith(
        f"/events/{data['event']['id']}"
    )
    assert b"secret-room" not in request.body


def test_an_event_of_a_members_only_group_is_not_delivered(app: Flask, receiver: Receiver, staff) -> None:  # noqa: ANN001
    make_webhook(receiver.url)
    group = make_group(name="Carers' circle", visibility=GroupVisibility.MEMBERS)
    assert staff.post_form("/staff/events/new", {**EVENT_FORM, "group": str(group.id)}).status_code == 302
    assert _deliveries() == []
