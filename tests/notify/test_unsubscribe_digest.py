"""Notification settings, one-click unsubscribe links, and the daily digest (checked in the outbox and over SMTP)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.extensions import db
from app.models import Delivery
from app.services.common.audit import notify
from app.services.notify.preferences import (
    DIGEST_KIND,
    KINDS,
    STOP_SENTENCES,
    UNSUBSCRIBE_SALT,
    deliveries,
    unsubscribe_token,
)
from tests.factories import make_member
from tests.support import browser, page_text


def path_of(header: str) -> str:
    """The path of the URL in a List-Unsubscribe header."""
    return urlsplit(header.strip("<>")).path


def test_settings_page_shows_defaults_and_saves_choices(app: Flask) -> None:
    """The settings page starts from the defaults and stores each kind's choice."""
    ann = make_member()
    client = browser(app, ann)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "Replies in topics you follow" in page and "@[Their Name]" in page
    data = {name: delivery.value for name, delivery in deliveries(ann.id).items()}
    response = client.post_form("/account/notifications", {**data, "reply": "digest", "message": "none"})
    assert response.status_code == 302
    chosen = deliveries(ann.id)
    assert chosen["reply"] == Delivery.DIGEST and chosen["message"] == Delivery.NONE
    assert chosen["moderation"] == Delivery.EMAIL


def test_settings_refuse_an_unknown_choice(app: Flask) -> None:
    """A value outside the four choices is refused and nothing is stored."""
    ann = make_member()
    response = browser(app, ann).post_form("/account/notifications", {"reply": "sms"})
    assert response.status_code == 422
    assert deliveries(ann.id)["reply"] == Delivery.IN_APP


def test_unsubscribe_link_asks_first_then_stops_that_kind(app: Flask) -> None:
    """Opening the link only asks; confirming (no sign-in needed) turns that kind's e-mail off, keeping in-app."""
    ann = make_member()
    path = f"/unsubscribe/{unsubscribe_token(ann.id, 'message')}"
    client = browser(app)
    page = client.get(path)
    assert page.status_code == 200 and "Yes, stop these e-mails" in page.get_data(as_text=True)
    assert deliveries(ann.id)["message"] == Delivery.EMAIL
    assert client.post_form(path).status_code == 200
    assert deliveries(ann.id)["message"] == Delivery.IN_APP


ASKED_AND_DONE = {
    "reply": ("Stop e-mails about replies in topics you follow?",
              "You will no longer get e-mails about replies in topics you follow."),
    "mention": ("Stop e-mails when someone mentions you?", "You will no longer get e-mails when someone mentions you."),
    "new_topic": ("Stop e-mails about new topics in groups you follow?",
                  "You will no longer get e-mails about new topics in groups you follow."),
    "helpful": ("Stop e-mails when your replies are marked helpful, recommended or featured?",
                "You will no longer get e-mails when your replies are marked helpful, recommended or featured."),
    "message": ("Stop e-mails about new private messages?",
                "You will no longer get e-mails about new private messages."),
    "moderation": ("Stop e-mails about the moderators' decisions on your posts and account?",
                   "You will no longer get e-mails about the moderators' decisions on your posts and account."),
    "bookmark_reminder": ("Stop e-mails about the reminders you set on your bookmarks?",
                          "You will no longer get e-mails about the reminders you set on your bookmarks."),
    "event": ("Stop e-mails about events you replied to?",
              "You will no longer get e-mails about events you replied to."),
    DIGEST_KIND: ("Stop the daily digest?", "You will no longer get the daily digest."),
}  # fmt: skip


def test_every_kind_has_its_own_sentences() -> None:
    """Each kind of notification, and the digest, has its own question and its own confirmation."""
    assert STOP_SENTENCES.keys() == {*KINDS, DIGEST_KIND} == ASKED_AND_DONE.keys()


@pytest.mark.parametrize("kind", ASKED_AND_DONE)
def test_unsubscribe_page_asks_and_confirms_in_whole_sentences(app: Flask, kind: str) -> None:
    """The page asks about, then confirms, exactly the kind of e-mail the link is for, each in a sentence of its own."""
    asked, done = ASKED_AND_DONE[kind]
    path = f"/unsubscribe/{unsubscribe_token(make_member().id, kind)}"
    client = browser(app)
    assert f"{asked} You will still see them on your notifications page." in page_text(client.get(path))
    assert f"{done} You will still see them on your notifications page." in page_text(client.post_form(path))


def test_one_click_post_unsubscribes_without_a_form(app: Flask, mail_to) -> None:
    """RFC 8058: a mail provider's POST of List-Unsubscribe=One-Click works without a CSRF token."""
    ann = make_member()
    notify(ann.id, "message", "You have a new message.", "/messages/1")
    db.session.commit()
    (mail,) = mail_to(ann)
    response = app.test_client().post(path_of(mail.headers["List-Unsubscribe"]), data="List-Unsubscribe=One-Click",
                                      content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 200
    assert deliveries(ann.id)["message"] == Delivery.IN_APP


def test_form_post_without_csrf_token_changes_nothing(app: Flask) -> None:
    """A POST that is neither one-click nor our form with its CSRF token is refused (400)."""
    ann = make_member()
    response = app.test_client().post(f"/unsubscribe/{unsubscribe_token(ann.id, 'message')}")
    assert response.status_code == 400
    assert deliveries(ann.id)["message"] == Delivery.EMAIL


class LongAgoSigner(TimestampSigner):
    """Signs as if 200 days ago: what an old e-mail's link holds."""

    def get_timestamp(self) -> int:
        return int(time.time()) - 200 * 24 * 3600


def bad_token(app: Flask, member_id: int, how: str) -> str:
    """An unsubscribe token spoiled in one way."""
    secret = app.config["SECRET_KEY"]
    if how == "tampered":
        token = unsubscribe_token(member_id, "message")
        return token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    if how == "expired":
        return URLSafeTimedSerializer(secret, salt=UNSUBSCRIBE_SALT, signer=LongAgoSigner).dumps(
            {"m": member_id, "k": "message"}
        )
    if how == "other purpose":
        return URLSafeTimedSerializer(secret, salt="kindred.password-reset").dumps({"m": member_id, "k": "message"})
    return "not-a-token"


@pytest.mark.parametrize("how", ["tampered", "expired", "other purpose", "garbage"])
def test_bad_unsubscribe_link_says_so_and_changes_nothing(app: Flask, how: str) -> None:
    """A tampered, expired or foreign token gets a clear message and changes nothing, even as one-click."""
    ann = make_member()
    path = f"/unsubscribe/{bad_token(app, ann.id, how)}"
    client = app.test_client()
    for response in (client.get(path), client.post(path, data={"List-Unsubscribe": "One-Click"})):
        assert response.status_code == 400
        assert "not valid" in response.get_data(as_text=True)
    assert deliveries(ann.id)["message"] == Delivery.EMAIL
