"""`flask --app wsgi purge-drafts`: remove expired drafts (run it daily, e.g. from cron beside send-digest)."""

from __future__ import annotations

import click

from app.drafts import bp
from app.services.drafts.drafts import purge_expired


@bp.cli.command("purge-drafts")
def purge_drafts_command() -> None:
    """Remove drafts older than KINDRED_DRAFT_DAYS; a member's own are also removed whenever they are read."""
    removed = purge_expired()
    click.echo(f"Removed {removed} expired draft{'' if removed == 1 else 's'}.")
