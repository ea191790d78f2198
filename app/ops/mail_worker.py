"""The `send-mail` worker command (the outbox's e-mail and webhook deliveries), and development's delivery of both
right after each request.

Production runs `flask --app wsgi send-mail` next to the web processes (several at once on PostgreSQL).
Under `make run` (MAIL_BACKEND=console) no worker is needed: a request that queued mail prints it to the
console once its transaction is committed, through the same outbox code, so each message is marked sent. Webhook
deliveries likewise leave right after the request that queued them when WEBHOOK_INLINE is on (development).
"""

from __future__ import annotations

import logging
import signal
import time

import click
from flask import Flask, Response, current_app, g
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.services.bookmarks.reminders import send_reminders
from app.services.events.reminders import send_event_reminders
from app.services.mail.outbox import SendReport, send_due
from app.services.webhooks.sending import send_due_webhooks

log = logging.getLogger(__name__)
STOP_CHECK_SECONDS = 0.2


class StopSignal:
    """SIGTERM (systemd, kill) or SIGINT (Ctrl+C) asks the worker to stop after the message in hand.

    The handlers are installed explicitly: a process started in the background by a shell inherits SIGINT as
    *ignored*, and Python then never raises KeyboardInterrupt, so a worker relying on it could not be stopped."""

    def __init__(self) -> None:
        self.requested = False
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, self._request)

    def _request(self, number: int, frame: object) -> None:
        self.requested = True

    def wait(self, seconds: float) -> None:
        """Sleep between polls, waking within a fraction of a second once a stop is asked for."""
        deadline = time.monotonic() + seconds
        while not self.requested and time.monotonic() < deadline:
            time.sleep(min(STOP_CHECK_SECONDS, max(deadline - time.monotonic(), 0)))


@click.command("send-mail")
@click.option("--once", is_flag=True, help="Send what is due now and exit (for cron or tests).")
def send_mail_command(once: bool) -> None:
    """Send queued e-mail over SMTP and queued webhook deliveries, retrying with back-off, and fire due bookmark and
    event reminders; runs until stopped (SIGTERM or Ctrl+C) unless --once."""
    report: SendReport | None
    hooks: int  # webhook deliveries handled this round
    if once:
        send_reminders()  # their e-mails go out in this same run
        send_event_reminders()
        report = send_due(limit=10_000)
        click.echo(f"Sent {report.sent}, will retry {report.retrying}, gave up on {report.failed}.")
        webhooks = send_due_webhooks(limit=10_000)
        click.echo(f"Webhooks: sent {webhooks.sent}, will retry {webhooks.retrying}, gave up on {webhooks.failed}.")
        return
    poll = current_app.config["MAIL_POLL_SECONDS"]
    stop = StopSignal()
    click.echo(f"Sending mail every {poll} s; stop with Ctrl+C.")
    while not stop.requested:
        try:
            # Due bookmark and event reminders first: the e-mails they queue leave in the same round.
            send_reminders()
            send_event_reminders()
            report = send_due(should_stop=lambda: stop.requested)
            hooks = send_due_webhooks(should_stop=lambda: stop.requested).handled
        except OperationalError:  # the database is away: wait for it rather than die
            db.session.rollback()
            log.warning("send-mail: database unavailable, retrying in %s s", poll)
            report, hooks = None, 0
        idle = report is None or report.sent + report.retrying + report.failed == 0 or report.server_down
        if idle and not hooks:
            stop.wait(poll)
    click.echo("Stopped.")


def register(app: Flask) -> None:
    """Add the worker command, and console delivery for development."""
    app.cli.add_command(send_mail_command)

    @app.after_request
    def deliver_console_mail(response: Response) -> Response:
        if g.pop("kindred_mail_queued", False) and app.config["MAIL_BACKEND"] == "console":
            # Whatever the view left uncommitted is dropped first (as teardown would), so only committed mail prints.
            db.session.rollback()
            send_due()
        if g.pop("kindred_webhook_queued", False) and app.config["WEBHOOK_INLINE"]:
            db.session.rollback()  # only deliveries whose event was committed
            send_due_webhooks()
        return response
