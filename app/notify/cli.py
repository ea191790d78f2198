"""`flask --app wsgi send-digest`: queue the daily digest e-mails (run it once a day, e.g. from cron);
`flask --app wsgi send-reminders`: fire the bookmark and event reminders that are due (the send-mail worker does it
too)."""

from __future__ import annotations

import click

from app.notify import bp
from app.services.bookmarks.reminders import send_reminders
from app.services.events.reminders import send_event_reminders
from app.services.notify.digest import send_digests


@bp.cli.command("send-digest")
def send_digest_command() -> None:
    """Queue today's digest for every member who chose one; safe to run more than once a day."""
    sent = send_digests()
    click.echo(f"Queued {sent} digest e-mail{'' if sent == 1 else 's'}; the send-mail worker delivers them.")


@bp.cli.command("send-reminders")
def send_reminders_command() -> None:
    """Notify members of their bookmark reminders and event reminders that are due; a reminder never fires twice."""
    fired = send_reminders() + send_event_reminders()
    click.echo(f"Sent {fired} reminder{'' if fired == 1 else 's'}.")
