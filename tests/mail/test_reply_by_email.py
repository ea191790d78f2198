"""Replies by e-mail, end to end: notification mails carry a signed Reply-To, and what members send back over
real LMTP becomes their reply (or message) through the posting services, with every refusal handled politely."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import (
    ContentStatus,
    Delivery,
    GroupFollow,
    GroupMembership,
    Member,
    Message,
    Post,
    TopicFollow,
    WatchAction,
    WatchedWord,
)
from app.ops.lmtp import start
from app.services.community.posting import reply, start_topic
from app.services.messages.conversations import send_message
from app.services.moderation.settings import crisis_panel
from tests.factories import group_of, make_conversation, make_member, make_topic, newcomer_in
from tests.live_server import free_port
from tests.mail.reply_support import SETTINGS, address_for, lmtp_send, reply_mail
from tests.notify.conftest import _prefer as prefer
from tests.support import aged_token, count_rows, open_item, outbox

QUOTE = "> Has anyone tried the new dosage?\n> It made me tired.\n"


@pytest.fixture
def app_overrides() -> dict:
    return dict(SETTINGS)


@pytest.fixture
def lmtp(app: Flask) -> Iterator[int]:
    """The receiver, on a free port, in a thread of the test process."""
    port = free_port()
    controller = start(app, "127.0.0.1", port)
    yield port
    controller.stop()


@pytest.fixture
def place():  # noqa: ANN201
    """A member of a group and a topic there they can answer."""
    ann = make_member(display_name="Ann")
    topic = make_topic(group=group_of(ann), title="Tiredness")
    return ann, topic


def member_in(group) -> Member:  # noqa: ANN001
    """An established member who joined `group`."""
    member = make_member()
    db.session.add(GroupMembership(member_id=member.id, group_id=group.id))
    db.session.commit()
    return member


def follow(member: Member, topic) -> None:  # noqa: ANN001
    db.session.add(TopicFollow(member_id=member.id, topic_id=topic.id))
    db.session.commit()


def replies_in(topic) -> list[Post]:  # noqa: ANN001
    db.session.expire_all()
    return list(db.session.scalars(select(Post).where(Post.topic_id == topic.id, ~Post.is_opening)))


def test_reply_notification_mail_carries_a_reply_to_and_says_so(app: Flask, place) -> None:
    """A reply notification by e-mail has Reply-To with a token for the recipient and the topic, and one line."""
    ann, topic = place
    follow(ann, topic)
    prefer(ann, "reply", Delivery.EMAIL)
    reply(member_in(topic.group), topic, "Me too, it gets better after a week.")
    [mail] = outbox(ann.email)
    assert mail.headers["Reply-To"] == address_for(ann, "t", topic.id)
    assert "You can reply to this e-mail to answer." in mail.body_text


def test_answering_a_real_notification_mail_posts_the_reply(app: Flask, lmtp: int, place) -> None:
    """The whole loop: the Reply-To of a notification mail, answered Gmail-style, becomes the member's reply."""
    ann, topic = place
    follow(ann, topic)
    prefer(ann, "reply", Delivery.EMAIL)
    reply(member_in(topic.group), topic, "Me too, it gets better after a week.")
    [notification] = outbox(ann.email)
    text = "Good to know, thank you!\n\nOn Mon, Dec 1, 2026 at 10:02 AM Kindred <no-reply@localhost> wrote:\n"
    lmtp_send(lmtp, reply_mail(ann, notification.headers["Reply-To"], text + "> Someone replied in a topic.\n"))
    assert [(p.raw, p.author_id) for p in replies_in(topic)][-1] == ("Good to know, thank you!", ann.id)


def test_mention_notification_mail_carries_a_reply_to_the_topic(app: Flask, place) -> None:
    """A mention by e-mail can be answered too: into the topic of the post that mentioned the member."""
    ann, topic = place
    prefer(ann, "mention", Delivery.EMAIL)
    reply(member_in(topic.group), topic, "What do you think, @[Ann]?")
    [mail] = outbox(ann.email)
    assert mail.headers["Reply-To"] == address_for(ann, "t", topic.id)


def test_other_notification_mails_carry_no_reply_to(app: Flask, place) -> None:
    """A new-topic notice is not an answerable conversation: no Reply-To."""
    ann, topic = place
    prefer(ann, "new_topic", Delivery.EMAIL)
    db.session.add(GroupFollow(member_id=ann.id, group_id=topic.group_id))
    db.session.commit()
    start_topic(member_in(topic.group), topic.group, "Another question", "What helps you sleep?")
    [mail] = outbox(ann.email)
    assert "Reply-To" not in mail.headers


def test_message_notification_mail_carries_a_reply_to(app: Flask) -> None:
    """A private message notification's Reply-To names the conversation."""
    ann, bob = make_member(), make_member()
    conversation = make_conversation(bob, ann)
    place_of_bob = next(p for p in conversation.participants if p.member_id == bob.id)
    with app.test_request_context("/"):
        send_message(bob, place_of_bob, "Are you coming on Thursday?")
    [mail] = outbox(ann.email)
    assert mail.headers["Reply-To"] == address_for(ann, "c", conversation.id)


def test_no_reply_to_when_the_feature_is_off(app: Flask, place) -> None:
    """Without MAIL_REPLY_ADDRESS the mail has no Reply-To and does not invite an answer."""
    app.config["MAIL_REPLY_ADDRESS"] = ""
    ann, topic = place
    follow(ann, topic)
    prefer(ann, "reply", Delivery.EMAIL)
    reply(member_in(topic.group), topic, "Me too, it gets better after a week.")
    [mail] = outbox(ann.email)
    assert "Reply-To" not in mail.headers
    assert "You can reply to this e-mail" not in mail.body_text


STYLES = {
    "gmail": "Thank you, that helps.\n\nOn Mon, Dec 1, 2026 at 10:02 AM Bob <bob@example.org> wrote:\n" + QUOTE,
    "outlook original": "Thank you, that helps.\n\n-----Original Message-----\nFrom: Bob\nSent: Monday, December 1, "
    "2026 10:02 AM\nTo: Ann\nSubject: New reply\n\nHas anyone tried the new dosage?\n",
    "outlook from sent": "Thank you, that helps.\n\nFrom: Kindred <no-reply@forum.example.org>\nSent: Monday, "
    "December 1, 2026 10:02 AM\nTo: Ann <ann@example.org>\nSubject: New reply\n\nHas anyone tried it?\n",
    "apple mail": "Thank you, that helps.\n\n> On 1 Dec 2026, at 10:02, Bob <bob@example.org> wrote:\n>\n" + QUOTE,
    "german": "Thank you, that helps.\n\nAm 01.12.2026 um 10:02 schrieb Bob <bob@example.org>:\n" + QUOTE,
    "french": "Thank you, that helps.\n\nLe lun. 1 déc. 2026 à 10:02, Bob <bob@example.org> a écrit :\n" + QUOTE,
    "spanish": "Thank you, that helps.\n\nEl lun, 1 dic 2026 a las 10:02, Bob (<bob@example.org>) escribió:\n" + QUOTE,
    "signature": "Thank you, that helps.\n\n-- \nAnn Example\nSome street 1\n",
    "iphone": "Thank you, that helps.\n\nSent from my iPhone\n",
    "signature and quote": "Thank you, that helps.\n\n-- \nAnn\n\nOn Mon, Dec 1, 2026 Bob wrote:\n" + QUOTE,
}


@pytest.mark.parametrize("style", STYLES)
def test_only_the_new_text_is_posted(app: Flask, lmtp: int, place, style: str) -> None:
    """Quoted mail, reply headers and signatures are removed in each mail client's style; the rest is posted."""
    ann, topic = place
    assert lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), STYLES[style])) == {}
    [posted] = replies_in(topic)
    assert (posted.raw, posted.author_id, posted.status) == ("Thank you, that helps.", ann.id, ContentStatus.VISIBLE)


def test_a_plain_and_html_mail_posts_the_plain_part(app: Flask, lmtp: int, place) -> None:
    """multipart/alternative: the text/plain part is what counts."""
    ann, topic = place
    html = "<p>HTML words</p><blockquote>old</blockquote>"
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), "Plain words.\n\n" + QUOTE, html))
    assert [p.raw for p in replies_in(topic)] == ["Plain words."]


def test_an_html_only_mail_posts_its_text_without_markup(app: Flask, lmtp: int, place) -> None:
    """Without a plain part the HTML becomes text: lines kept, markup and the quoted block dropped, never run."""
    ann, topic = place
    html = (
        '<div dir="ltr">Thanks <b>so</b> much!<br>See you <a href="https://x.example">Thursday</a>.'
        '<script>alert(1)</script></div><div class="gmail_quote"><div>On Mon, Dec 1, 2026 Bob wrote:</div>'
        "<blockquote>Has anyone tried it?</blockquote></div>"
    )
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), None, html))
    [posted] = replies_in(topic)
    assert posted.raw == "Thanks so much!\nSee you Thursday."
    assert "<script" not in posted.cooked


def test_an_unknown_charset_is_read_rather_than_refused(app: Flask, lmtp: int, place) -> None:
    """A mail claiming a charset nobody knows is still posted, read as UTF-8."""
    ann, topic = place
    mail = reply_mail(ann, address_for(ann, "t", topic.id), "Grüße, it helped.")
    raw = mail.as_bytes().replace(b'charset="utf-8"', b'charset="x-unknown"')
    assert b"x-unknown" in raw
    db.session.rollback()
    with smtplib.LMTP("127.0.0.1", lmtp, timeout=30) as client:
        client.sendmail(ann.email, [str(mail["To"])], raw)
    assert [p.raw for p in replies_in(topic)] == ["Grüße, it helped."]


def test_a_newcomers_reply_is_held(app: Flask, lmtp: int, place) -> None:
    """The review rules apply: a newcomer's reply by e-mail waits for a moderator like one from the form."""
    _, topic = place
    newcomer = newcomer_in(topic.group)
    lmtp_send(lmtp, reply_mail(newcomer, address_for(newcomer, "t", topic.id), "Hello, I am new here."))
    [posted] = replies_in(topic)
    assert posted.status == ContentStatus.PENDING
    assert open_item(posted) is not None


def test_crisis_words_route_the_reply_to_an_urgent_review(app: Flask, lmtp: int, place) -> None:
    """Crisis language holds the reply as an urgent item, as on the web."""
    ann, topic = place
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), "Some nights I want to end my life."))
    [posted] = replies_in(topic)
    item = open_item(posted)
    assert posted.status == ContentStatus.PENDING
    assert item is not None and item.urgent
    [support] = outbox(ann.email)  # what the web shows after such a post, by e-mail
    assert crisis_panel("en", "en").split("\n")[0][:40] in support.body_text


def test_a_blocked_word_is_refused_with_one_polite_mail(app: Flask, lmtp: int, place) -> None:
    """Watched words apply: a blocked phrase posts nothing, and the member hears why."""
    ann, topic = place
    db.session.add(WatchedWord(phrase="buy pills", phrase_key="buy pills", action=WatchAction.BLOCK))
    db.session.commit()
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), "You can buy pills from me."))
    assert replies_in(topic) == []
    [mail] = outbox(ann.email)
    assert "words that are not allowed" in mail.body_text
    assert mail.headers["Auto-Submitted"] == "auto-replied"
    assert "Reply-To" not in mail.headers


def test_a_held_watched_word_holds_the_reply(app: Flask, lmtp: int, place) -> None:
    """A watched phrase that holds holds the reply by e-mail too."""
    ann, topic = place
    db.session.add(WatchedWord(phrase="miracle cure", phrase_key="miracle cure", action=WatchAction.HOLD))
    db.session.commit()
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), "This miracle cure worked for me."))
    [posted] = replies_in(topic)
    assert posted.status == ContentStatus.PENDING


def test_the_same_message_id_is_posted_once(app: Flask, lmtp: int, place) -> None:
    """A mail delivered twice (the MTA retried) makes one reply."""
    ann, topic = place
    mail = reply_mail(ann, address_for(ann, "t", topic.id), "Only once, please.")
    lmtp_send(lmtp, mail)
    lmtp_send(lmtp, mail)
    assert len(replies_in(topic)) == 1


def test_a_reply_to_a_message_mail_answers_in_the_conversation(app: Flask, lmtp: int) -> None:
    """A private message notification answered by e-mail adds a message to that conversation."""
    ann, bob = make_member(), make_member()
    conversation = make_conversation(bob, ann)
    text = "Yes, see you Thursday.\n\nOn Mon, Dec 1, 2026 Bob wrote:\n> Are you coming?\n"
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "c", conversation.id), text))
    newest = db.session.scalar(select(Message).order_by(Message.id.desc()).limit(1))
    assert (newest.author_id, newest.conversation_id, newest.raw) == (ann.id, conversation.id, "Yes, see you Thursday.")
    assert len(outbox(bob.email)) == 1  # Bob hears of it as of any message


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "Out of office"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "auto_reply"},
        {"List-Id": "<patients.lists.example.org>"},
    ],
)
def test_auto_replies_are_ignored_without_an_answer(app: Flask, lmtp: int, place, headers: dict) -> None:
    """Out-of-office and list mail posts nothing and gets nothing back (no mail loop can start)."""
    ann, topic = place
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), "I am away until Monday.", **headers))
    assert replies_in(topic) == []
    assert outbox() == []


def test_auto_submitted_no_is_a_person(app: Flask, lmtp: int, place) -> None:
    """`Auto-Submitted: no` is what a person's mail may say: it is posted."""
    ann, topic = place
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), "Written by me.", Auto_Submitted="no"))
    assert len(replies_in(topic)) == 1


def test_a_bounce_with_an_empty_sender_is_ignored(app: Flask, lmtp: int, place) -> None:
    """A delivery report (MAIL FROM:<>) is never posted nor answered."""
    ann, topic = place
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), "Delivery failed."), sender="")
    assert replies_in(topic) == [] and outbox() == []


def test_a_multipart_report_is_ignored(app: Flask, lmtp: int, place) -> None:
    """A DSN (multipart/report) is a bounce whatever its sender says."""
    ann, topic = place
    mail = reply_mail(ann, address_for(ann, "t", topic.id), "Your message could not be delivered.")
    mail.make_mixed()
    mail.replace_header("Content-Type", 'multipart/report; report-type=delivery-status; boundary="b"')
    mail.set_boundary("b")
    lmtp_send(lmtp, mail)
    assert replies_in(topic) == [] and outbox() == []


def test_mail_from_mailer_daemon_is_ignored(app: Flask, lmtp: int, place) -> None:
    """MAILER-DAEMON's mail is a bounce."""
    ann, topic = place
    mail = reply_mail(ann, address_for(ann, "t", topic.id), "Undeliverable.")
    mail.replace_header("From", "MAILER-DAEMON@mail.example.net")
    lmtp_send(lmtp, mail, sender="MAILER-DAEMON@mail.example.net")
    assert replies_in(topic) == [] and outbox() == []


def test_mail_from_another_address_than_the_members_is_ignored(app: Flask, lmtp: int, place) -> None:
    """A forwarded notification answered by someone else posts nothing and tells nobody."""
    ann, topic = place
    mail = reply_mail(ann, address_for(ann, "t", topic.id), "I am not Ann.")
    mail.replace_header("From", "someone@else.example")
    lmtp_send(lmtp, mail, sender="someone@else.example")
    assert replies_in(topic) == [] and outbox() == []


def test_a_forged_token_is_ignored(app: Flask, lmtp: int, place) -> None:
    """A token with a wrong signature names nobody: nothing posted, nothing sent."""
    ann, topic = place
    address = address_for(ann, "t", topic.id)
    forged = address.replace("reply+", "reply+x", 1)
    lmtp_send(lmtp, reply_mail(ann, forged, "Let me in."))
    assert replies_in(topic) == [] and outbox() == []


def test_an_expired_token_gets_one_polite_mail_an_hour(app: Flask, lmtp: int, place) -> None:
    """A reply to a mail older than 30 days is not posted; the member is told once, not for every try."""
    ann, topic = place
    token = aged_token("mail-reply", {"m": ann.id, "t": topic.id}, timedelta(days=31))
    address = f"reply+{token}@forum.example.org"
    lmtp_send(lmtp, reply_mail(ann, address, "Late answer."))
    lmtp_send(lmtp, reply_mail(ann, address, "Late answer, again."))
    assert replies_in(topic) == []
    [mail] = outbox(ann.email)
    assert "too old" in mail.body_text
    assert f"http://kindred.test/t/{topic.id}" in mail.body_text


def test_a_locked_topic_gets_one_polite_mail(app: Flask, lmtp: int, place) -> None:
    """A topic locked since the notification takes no reply by e-mail; the member hears why."""
    ann, topic = place
    topic.locked = True
    db.session.commit()
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), "One more thought."))
    assert replies_in(topic) == []
    [mail] = outbox(ann.email)
    assert "You can no longer write there" in mail.body_text


def test_a_reply_with_only_quoted_text_gets_one_polite_mail(app: Flask, lmtp: int, place) -> None:
    """Nothing new after stripping: nothing posted, one mail explains where to write."""
    ann, topic = place
    lmtp_send(lmtp, reply_mail(ann, address_for(ann, "t", topic.id), "\n\nOn Mon, Dec 1, 2026 Bob wrote:\n" + QUOTE))
    assert replies_in(topic) == []
    [mail] = outbox(ann.email)
    assert "no new text" in mail.body_text


def test_nothing_the_mail_says_reaches_the_logs(app: Flask, lmtp: int, place, caplog) -> None:
    """Posted, refused and ignored mail are logged by key and outcome only: no text, address or token."""
    ann, topic = place
    address = address_for(ann, "t", topic.id)
    caplog.set_level(logging.DEBUG)
    lmtp_send(lmtp, reply_mail(ann, address, "My secret words."))
    lmtp_send(lmtp, reply_mail(ann, address, "\n\nOn Mon, Bob wrote:\n> Other secret words\n"))
    lmtp_send(lmtp, reply_mail(ann, address, "Away words.", X_Autoreply="yes"))
    logged = caplog.text
    assert "posted" in logged and "ignored" in logged
    for secret in ("secret words", "Away words", ann.email, address.split("+")[1].split("@")[0]):
        assert secret not in logged


def test_standard_input_mode_posts_and_exits_zero(app: Flask, place) -> None:
    """`flask receive-mail` reads one message on standard input (an MTA's pipe) and finds the token in To."""
    ann, topic = place
    mail = reply_mail(ann, address_for(ann, "t", topic.id), "Piped in.\n\n-- \nAnn")
    result = app.test_cli_runner().invoke(args=["receive-mail", "--sender", ann.email], input=mail.as_bytes())
    assert result.exit_code == 0, result.output
    assert [p.raw for p in replies_in(topic)] == ["Piped in."]


def test_standard_input_mode_ignores_a_bounce_and_exits_zero(app: Flask, place) -> None:
    """A bounce on standard input (empty envelope sender) is handled by ignoring it: exit 0, nothing posted."""
    ann, topic = place
    mail = reply_mail(ann, address_for(ann, "t", topic.id), "Undeliverable.")
    result = app.test_cli_runner().invoke(args=["receive-mail", "--sender", ""], input=mail.as_bytes())
    assert result.exit_code == 0
    assert replies_in(topic) == []


def test_standard_input_mode_asks_for_a_retry_when_the_database_is_down(app: Flask, place) -> None:
    """With the database unreachable the command exits 75 (EX_TEMPFAIL), so the MTA keeps the mail and retries."""
    from app import create_app

    ann, topic = place
    mail = reply_mail(ann, address_for(ann, "t", topic.id), "Hello?")
    down = create_app("testing", {**SETTINGS, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/x"})
    with down.app_context():  # the command runs in this app's context, not the test's
        result = down.test_cli_runner().invoke(args=["receive-mail", "--sender", ann.email], input=mail.as_bytes())
    assert result.exit_code == 75
    assert count_rows(Post) == 1  # the opening post only
