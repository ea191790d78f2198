"""How an outbox message leaves: over SMTP (production), or printed to the console (`make run`)."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import sys
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any, Protocol

from app.models.mail import OutboxMessage

# Set by the worker from the row itself; extra headers cannot override them.
RESERVED_HEADERS = frozenset({"from", "to", "subject", "date", "message-id", "content-type", "mime-version"})


class Transport(Protocol):
    def send(self, message: OutboxMessage) -> None: ...
    def reset(self) -> None: ...
    def close(self) -> None: ...


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """A MIME message: the text, an optional HTML alternative, and extra headers such as List-Unsubscribe."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    # The same id on every try: a message sent twice after a crash is recognisable as one.
    email["Message-ID"] = f"<outbox.{message.id}@{domain}>"
    for name, value in (message.headers or {}).items():
        if name.lower() not in RESERVED_HEADERS:
            email[name] = value
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


class SMTPTransport:
    """One SMTP connection per pass, opened on the first message and reopened after an error."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: OutboxMessage) -> None:
        email = build_email(message, self.config["MAIL_FROM"])
        if self.smtp is None:
            self.smtp = self._connect()
        self.smtp.send_message(email)

    def reset(self) -> None:
        """Drop a connection in an unknown state; the next message opens a fresh one."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def close(self) -> None:
        """Say goodbye and hang up; QUIT waits at most MAIL_TIMEOUT, like every command on this socket."""
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # closing anyway
                self.smtp.quit()
            self.reset()


class ConsoleTransport:
    """Development: print the mail where the developer sees it (links included) instead of sending it."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.sender = config["MAIL_FROM"]

    def send(self, message: OutboxMessage) -> None:
        build_email(message, self.sender)  # fails here, as it would for SMTP, on a malformed header
        lines = [f"----- e-mail (MAIL_BACKEND=console, not sent) #{message.id} -----"]
        lines += [f"To: {message.to_address}", f"Subject: {message.subject}"]
        lines += [f"{name}: {value}" for name, value in (message.headers or {}).items()]
        lines += ["", message.body_text, "----- end of e-mail -----"]
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass


def make_transport(config: dict[str, Any]) -> Transport:
    """The transport MAIL_BACKEND names."""
    backend = config["MAIL_BACKEND"]
    if backend == "console":
        return ConsoleTransport(config)
    if backend == "smtp":
        return SMTPTransport(config)
    raise RuntimeError(f"MAIL_BACKEND must be 'smtp' or 'console', not {backend!r}")
