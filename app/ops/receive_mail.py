"""`flask --app wsgi receive-mail`: replies by e-mail from the mail server, one message on standard input (a pipe
transport) or, with `--lmtp HOST:PORT`, as an LMTP server. Exit status (pipe): 0 handled or deliberately ignored,
75 (EX_TEMPFAIL) when the mail server should try again later (database down, rate limited)."""

from __future__ import annotations

import logging
import sys

import click
from flask import current_app
from sqlalchemy.exc import DBAPIError, OperationalError

from app.extensions import db
from app.services.mailin.replies import Incoming, Result, handle

log = logging.getLogger(__name__)
EX_OK = 0
EX_SOFTWARE = 70
EX_TEMPFAIL = 75
MAX_MESSAGE = 10 * 1024 * 1024  # bytes; a reply is text, larger mail is refused by the LMTP server too


def handle_safely(incoming: Incoming) -> int:
    """Handle one message and say what the mail server should do: 0 done, 75 retry later, 70 a fault here."""
    try:
        result = handle(incoming)
    except (OperationalError, DBAPIError, OSError) as error:
        db.session.rollback()
        log.warning("reply mail not handled, the mail server will retry: %s", type(error).__name__)
        return EX_TEMPFAIL
    except Exception as error:  # noqa: BLE001 - the type only: a traceback's text could quote the message
        db.session.rollback()
        log.error("reply mail failed: %s", type(error).__name__)
        return EX_SOFTWARE
    return EX_TEMPFAIL if result == Result.TEMPFAIL else EX_OK


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter("give HOST:PORT, e.g. 127.0.0.1:8025")
    return host.strip("[]"), int(port)


@click.command("receive-mail")
@click.option("--lmtp", "lmtp", default=None, metavar="HOST:PORT", help="Run an LMTP server instead of reading stdin.")
@click.option("--sender", default=None, help="The envelope sender (Postfix: ${sender}); empty for bounces.")
@click.option("--recipient", "recipients", multiple=True, help="The envelope recipient(s) (Postfix: ${recipient}).")
def receive_mail_command(lmtp: str | None, sender: str | None, recipients: tuple[str, ...]) -> None:
    """Post replies that members sent by e-mail to their notification e-mails."""
    if lmtp is not None:
        from app.ops.lmtp import serve  # aiosmtpd is only needed by the server

        host, port = _address(lmtp)
        serve(current_app._get_current_object(), host, port)  # type: ignore[attr-defined]
        return
    raw = sys.stdin.buffer.read(MAX_MESSAGE + 1)
    if len(raw) > MAX_MESSAGE:
        log.info("reply mail ignored: larger than %s bytes", MAX_MESSAGE)
        sys.exit(EX_OK)
    sys.exit(handle_safely(Incoming(raw, sender, recipients)))
