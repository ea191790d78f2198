"""E-mails and notifications are written in the recipient's language when they are queued, whoever's request
queued them, and give dates in the recipient's time zone.

A tiny Spanish catalogue of its own (built here with Babel) holds one e-mail's subject and a line of it, and the
notices used below, so the tests hold whatever the shipped catalogues say."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Member, MemberStatus, Notification, OutboxMessage, Role
from app.services.members.account_mail import queue_password_reset_mail
from app.services.moderation.suspensions import lift_suspension, suspend
from tests.factories import make_member
from tests.support import BASE_URL, write_catalogues

SUBJECT = "Choose a new password"
LINE = "The link works once and for one hour. Choosing a new password signs you out everywhere."
LIFTED = "Your suspension has been lifted. Welcome back."
SUSPENDED_UNTIL = "Your account is suspended until %(date)s: %(reason)s."
SPANISH = {
    SUBJECT: "Elige una contraseña nueva",
    LINE: "El enlace funciona una vez y durante una hora.",
    LIFTED: "Se ha levantado tu suspensión. Bienvenido de nuevo.",
    SUSPENDED_UNTIL: "Tu cuenta está suspendida hasta el %(date)s: %(reason)s.",
}


@pytest.fixture(scope="session")
def translations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_catalogues(tmp_path_factory.mktemp("mail-translations"), {"es": SPANISH})


@pytest.fixture
def app_overrides(translations: Path) -> dict:
    return {"BABEL_TRANSLATION_DIRECTORIES": str(translations), "BASE_URL": BASE_URL}


def _mail_to(member: Member) -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == member.email)).one()


def _notices(member: Member) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification.message).where(Notification.member_id == member.id)))


def test_a_spanish_member_gets_the_reset_mail_in_spanish(app) -> None:
    """The subject and body are rendered from the recipient's catalogue."""
    member = make_member(locale="es")
    with app.test_request_context("/"):
        queue_password_reset_mail(member)
    db.session.commit()
    mail = _mail_to(member)
    assert mail.subject.startswith(SPANISH[SUBJECT] + " · ")
    assert SPANISH[LINE] in mail.body_text and LINE not in mail.body_text


def test_an_english_member_gets_it_in_english(app) -> None:
    member = make_member(locale="en")
    with app.test_request_context("/"):
        queue_password_reset_mail(member)
    db.session.commit()
    mail = _mail_to(member)
    assert mail.subject.startswith(SUBJECT + " · ")
    assert LINE in mail.body_text


def test_a_language_the_community_does_not_offer_falls_back_to_the_default(app) -> None:
    member = make_member(locale="xx")
    with app.test_request_context("/"):
        queue_password_reset_mail(member)
    db.session.commit()
    assert _mail_to(member).subject.startswith(SUBJECT + " · ")


def test_mail_queued_during_another_members_request_is_in_the_recipients_language(app) -> None:
    """A request answered in English queues a Spanish member's mail in Spanish, and stays English itself."""
    from flask_babel import gettext

    member = make_member(locale="es")
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        queue_password_reset_mail(member)
        assert gettext(SUBJECT) == SUBJECT
    db.session.commit()
    assert _mail_to(member).subject.startswith(SPANISH[SUBJECT])


def _suspended(**fields: object) -> Member:
    return make_member(status=MemberStatus.SUSPENDED, suspension_reason="spam", **fields)


def test_a_notification_is_stored_in_the_recipients_language(app) -> None:
    """Each member's own notice is written down in their language."""
    moderator = make_member(role=Role.MODERATOR)
    spanish, english = _suspended(locale="es"), _suspended(locale="en")
    with app.test_request_context("/"):
        lift_suspension(moderator, spanish)
        lift_suspension(moderator, english)
    assert _notices(spanish) == [SPANISH[LIFTED]]
    assert _notices(english) == [LIFTED]


def test_dates_in_a_notice_are_in_the_recipients_time_zone(app) -> None:
    """A suspension ending at 02:00 UTC on 1 January ends on 31 December in New York."""
    moderator = make_member(role=Role.MODERATOR)
    member = make_member(locale="en", timezone="America/New_York")
    with app.test_request_context("/"):
        suspend(moderator, member, "spam", until=datetime(2099, 1, 1, 2, 0, tzinfo=UTC))
    assert _notices(member) == ["Your account is suspended until 31 December 2098: spam."]


def test_dates_in_a_spanish_notice_are_written_in_spanish(app) -> None:
    moderator = make_member(role=Role.MODERATOR)
    member = make_member(locale="es")
    with app.test_request_context("/"):
        suspend(moderator, member, "spam", until=datetime(2099, 3, 5, 12, 0, tzinfo=UTC))
    assert _notices(member) == ["Tu cuenta está suspendida hasta el 05 marzo 2099: spam."]
