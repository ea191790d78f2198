"""Building reply e-mails as mail clients write them, and handing them to the receiver over real LMTP."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from app.extensions import db
from app.models import Member
from app.services.mailin.tokens import reply_address

REPLY_PATTERN = "reply+{token}@forum.example.org"
SETTINGS = {"MAIL_REPLY_ADDRESS": REPLY_PATTERN, "BASE_URL": "http://kindred.test"}


def address_for(member: Member, kind: str, target_id: int) -> str:
    """The Reply-To address a notification to `member` about that topic ("t") or conversation ("c") carries."""
    address = reply_address(member.id, kind, target_id)
    assert address is not None
    return address


def reply_mail(member: Member, to: str, text: str | None, html: str | None = None, **headers: str) -> EmailMessage:
    """A reply from the member's own address: text/plain, and an HTML alternative (or HTML alone, text=None)."""
    message = EmailMessage()
    message["From"] = f'"{member.display_name}" <{member.email}>'
    message["To"] = to
    message["Subject"] = "Re: New reply in a topic you follow"
    message["Date"] = formatdate()
    message["Message-ID"] = make_msgid(domain="mail.example.net")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    if text is not None:
        message.set_content(text)
        if html is not None:
            message.add_alternative(html, subtype="html")
    elif html is not None:
        message.set_content(html, subtype="html")
    return message


def lmtp_send(port: int, message: EmailMessage, sender: str | None = None, to: str | None = None) -> dict:
    """Deliver over LMTP as an MTA would; smtplib raises SMTPDataError when the receiver says "try later"."""
    db.session.rollback()  # the test's own reads must not hold the database while the receiver writes
    envelope_from = sender if sender is not None else message["From"].addresses[0].addr_spec
    with smtplib.LMTP("127.0.0.1", port, timeout=30) as client:
        refused = client.sendmail(envelope_from, [to or str(message["To"])], message.as_bytes())
    db.session.expire_all()
    return refused
