"""Reading an incoming e-mail: is it a person's answer at all, who sent it, and which words are new.

Pure functions of the message: nothing here touches the database or logs what the mail says."""

from __future__ import annotations

import hashlib
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from bs4 import BeautifulSoup
from mailparser_reply import EmailReplyParser  # type: ignore[import-untyped]

REPLY_LANGUAGES = ["en", "de", "fr", "es"]
BLOCKS = ["p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "ul", "ol"]
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "auto_reply", "list"}
BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
# A quoted block the parser did not recognise: "… wrote:" in a language or style it does not know, then "> …".
TRAILING_QUOTE = re.compile(r"(?:\n[^\n]*:[ \t]*)?(?:\n[ \t]*>[^\n]*)+\s*\Z")


def parse(raw: bytes) -> EmailMessage:
    """The message as the email package reads it (modern policy: decoded headers, get_body)."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def message_key(message: EmailMessage, raw: bytes, token: str = "") -> str:
    """What recognises this message to this reply address when it is delivered again: its Message-ID (or else its
    bytes) with the token, so one mail sent to two reply addresses is answered in both places."""
    message_id = str(message.get("Message-ID", "") or "").strip()
    return hashlib.sha256((message_id.encode() if message_id else raw) + b"\0" + token.encode()).hexdigest()


def automatic_reason(message: EmailMessage, envelope_sender: str | None) -> str | None:
    """Why this mail was sent by a machine (an auto-reply, a list, a bounce), or None for a person's mail.
    Machines never get an answer: two auto-responders would otherwise write to each other for ever."""
    auto = str(message.get("Auto-Submitted", "") or "").strip().lower()
    if auto and auto != "no":
        return "auto-submitted"
    if message.get("X-Autoreply") is not None or message.get("X-Autorespond") is not None:
        return "auto-reply"
    if str(message.get("Precedence", "") or "").strip().lower() in AUTOMATIC_PRECEDENCE:
        return "precedence"
    if message.get("List-Id") is not None:
        return "mailing-list"
    if message.get_content_type() == "multipart/report":
        return "bounce"
    if envelope_sender is not None and envelope_sender.strip("<> ") == "":
        return "bounce"
    sender = sender_address(message) or ""
    if sender.split("@", 1)[0] in BOUNCE_SENDERS:
        return "bounce"
    return None


def sender_address(message: EmailMessage) -> str | None:
    """The one From address, lower-cased; None when there is none or several."""
    addresses = [address for _, address in getaddresses([str(v) for v in message.get_all("From", [])]) if address]
    return addresses[0].strip().lower() if len(addresses) == 1 else None


def recipient_addresses(message: EmailMessage) -> list[str]:
    """Where the mail was addressed (for the standard-input mode, where no envelope is handed over)."""
    values = [str(v) for name in ("Delivered-To", "X-Original-To", "To", "Cc") for v in message.get_all(name, [])]
    return [address for _, address in getaddresses(values) if address]


def envelope_recipient(value: str) -> str:
    """An envelope address as an MTA hands it over (`<a@b>` or `a@b`)."""
    return parseaddr(value)[1] or value


def _html_to_text(html: str) -> str:
    """The words of an HTML part, one block per line; markup is dropped, never interpreted."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "head", "title"]):
        element.decompose()
    for quote in soup.find_all("blockquote"):  # what the reply quotes, in every HTML mail client
        quote.decompose()
    for line_break in soup.find_all("br"):
        line_break.replace_with("\n")
    for block in soup.find_all(BLOCKS):  # inline markup (<b>, <a>) stays within its line
        block.insert_after("\n")
    return soup.get_text()


def _content(part: EmailMessage) -> str:
    """A part's text; an unknown or lying charset is read as UTF-8 with replacement characters, not refused."""
    try:
        return str(part.get_content())
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


def body_text(message: EmailMessage) -> str:
    """The reply's text: its text/plain part, or its HTML part turned into text when there is no plain one."""
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return _content(part)  # type: ignore[arg-type]
    part = message.get_body(preferencelist=("html",))
    return _html_to_text(_content(part)) if part is not None else ""  # type: ignore[arg-type]


def new_text(message: EmailMessage) -> str:
    """Only what the member wrote this time: quoted mail, reply headers and signatures removed."""
    text = body_text(message).replace("\r\n", "\n")
    parsed = EmailReplyParser(languages=REPLY_LANGUAGES).read(text)
    reply = parsed.replies[0].body if parsed.replies else text
    reply = TRAILING_QUOTE.sub("", "\n" + (reply or "")).strip()
    lines = [line.rstrip() for line in reply.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
