"""Event reminders 24 hours and 1 hour before the start, to members who are going: from `flask send-reminders` and
the send-mail worker, beside the bookmark reminders.

Times are stored in UTC and the lead times subtracted in UTC, so a reminder is exactly 24 (or 1) real hours before
the start whatever the clocks do in the event's zone. Each reminder is claimed by one conditional UPDATE (its
column still empty, the member still going, the event not cancelled) in the transaction that notifies, so two runs
at the same moment, or a run after a crash, never remind twice, and a member who left is never reminded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy import exists, select, update

from app.database.dml import rows_matched
from app.extensions import db
from app.models import Event, EventRsvp, RsvpStatus
from app.models.base import utcnow
from app.services.common.audit import notify

REMINDER_KIND = "event_reminder"
BATCH = 500


@dataclass(frozen=True)
class Lead:
    """One reminder: how long before the start, which column records it, and until when it still makes sense."""

    name: str
    before: timedelta
    column: Any
    # The 24-hour reminder is pointless once the 1-hour one is due: a member who joins late gets just that.
    not_within: timedelta


LEADS = (
    Lead("24h", timedelta(hours=24), EventRsvp.reminded_24h_at, timedelta(hours=1)),
    Lead("1h", timedelta(hours=1), EventRsvp.reminded_1h_at, timedelta(0)),
)


def _due(lead: Lead, now: datetime) -> Any:
    """Conditions for a reminder of this lead being due now (over EventRsvp, the event looked up by EXISTS)."""
    event_due = exists().where(
        Event.id == EventRsvp.event_id,
        Event.cancelled_at.is_(None),
        Event.starts_at <= now + lead.before,
        Event.starts_at > now + lead.not_within,
    )
    return (lead.column.is_(None)) & (EventRsvp.status == RsvpStatus.GOING) & event_due


def due_reminders(lead: Lead, now: datetime, limit: int = BATCH) -> list[int]:
    query = select(EventRsvp.id).where(_due(lead, now)).order_by(EventRsvp.id).limit(limit)
    return list(db.session.scalars(query))


def _message(lead: Lead, event: Event) -> str:
    if lead.name == "24h":
        return lazy_gettext('Reminder: "%(title)s" starts in 24 hours.', title=event.title)
    return lazy_gettext('Reminder: "%(title)s" starts in an hour.', title=event.title)


def fire_reminder(lead: Lead, rsvp_id: int, now: datetime) -> bool:
    """Claim one due reminder and notify the member in the same transaction; False when it was no longer due."""
    claimed = update(EventRsvp).where(EventRsvp.id == rsvp_id, _due(lead, now)).values({lead.column.key: now})
    if not rows_matched(claimed.execution_options(synchronize_session=False)):
        db.session.rollback()
        return False
    row = db.session.get(EventRsvp, rsvp_id)
    if row is not None:
        notify(row.member_id, REMINDER_KIND, _message(lead, row.event), f"/events/{row.event_id}")
    db.session.commit()
    return True


def send_event_reminders(now: datetime | None = None) -> int:
    """Send every event reminder that is due; how many. Safe to run as often as wanted, and from several places."""
    now = now or utcnow()
    sent = 0
    for lead in LEADS:
        while ids := due_reminders(lead, now):
            fired = sum(fire_reminder(lead, rsvp_id, now) for rsvp_id in ids)
            sent += fired
            if not fired:
                break
    return sent
