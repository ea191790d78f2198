"""Staff creating, editing and cancelling events: every field checked (all problems at once), times stored in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_number, lazy_gettext
from flask_babel import gettext as _
from sqlalchemy import select, update

from app import permissions
from app.extensions import db
from app.models import Event, EventKind, EventRsvp, Group, Member
from app.models.base import utcnow
from app.services import Checks, ServiceError
from app.services.common import submissions
from app.services.common.audit import audit, notify
from app.services.common.cleaning import BODY_MAX, clean_text, visible_length
from app.services.content.resources import clean_url
from app.services.events.places import fill_places
from app.services.members.language import time_zones
from app.services.webhooks import events as webhook_events
from app.text.rendering import cook

HOST_MAX = 200
LOCATION_MAX = 300
ONLINE_URL_MAX = 500
CAPACITY_MAX = 100_000
LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
LONGEST = timedelta(days=14)  # a longer "event" is a typing mistake in a date
CANCELLED_KIND = "event_cancelled"


@dataclass
class EventInput:
    """What a staff member typed into the event form, as text."""

    title: str = ""
    description: str = ""
    kind: str = ""
    host: str = ""
    starts_at: str = ""
    ends_at: str = ""
    timezone: str = ""
    location: str = ""
    online_url: str = ""
    capacity: str = ""
    group: str = ""
    questions: bool = False


@dataclass(frozen=True)
class Cleaned:
    title: str
    description: str
    kind: EventKind
    host: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: str
    online_url: str
    capacity: int | None
    group_id: int | None
    questions: bool


def _title(value: str) -> str:
    if "\x00" in value:
        raise ServiceError(_("The title contains a character that cannot be stored (NUL)."), "title")
    value = " ".join(value.split())
    if not visible_length(value):
        raise ServiceError(_("Please give the event a title."), "title")
    if len(value) > 200:
        raise ServiceError(_("Titles can be at most %(limit)d characters.", limit=200), "title")
    return value


def _line(value: str, *, limit: int, field: str, empty: str | None) -> str:
    """A one-line text (host, place): no NUL, spaces collapsed, within `limit`."""
    if "\x00" in value:
        raise ServiceError(_("This contains a character that cannot be stored (NUL)."), field)
    value = " ".join(value.split()) if visible_length(value) else ""
    if not value and empty is not None:
        raise ServiceError(empty, field)
    if len(value) > limit:
        raise ServiceError(_("This can be at most %(limit)s characters.", limit=format_number(limit)), field)
    return value


def _kind(value: str) -> EventKind:
    try:
        return EventKind(value)
    except ValueError:
        raise ServiceError(_("Choose what kind of event this is."), "kind") from None


def _zone(value: str) -> str:
    if value not in time_zones():
        raise ServiceError(_("Choose a time zone from the list, such as Europe/London."), "timezone")
    return value


def parse_local(value: str) -> datetime | None:
    """A `YYYY-MM-DDTHH:MM` wall-clock time as typed (None when it is not one)."""
    for pattern in LOCAL_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern)  # noqa: DTZ007 - a wall-clock time, zone given apart
        except ValueError:
            continue
    return None


def local_to_utc(value: str, zone: str, field: str) -> datetime:
    """The moment a wall-clock time in `zone` names; a time the clocks skip (a daylight-saving gap) is refused.
    A time that happens twice (clocks going back) is its first occurrence."""
    local = parse_local(value)
    if local is None:
        raise ServiceError(_("Give a date and time, such as 2027-03-14T18:30."), field)
    tz = ZoneInfo(zone)
    try:
        moment = local.replace(tzinfo=tz).astimezone(UTC)
    except OverflowError:
        raise ServiceError(_("Please choose a date within the next few years."), field) from None
    if moment.astimezone(tz).replace(tzinfo=None) != local:
        raise ServiceError(
            _("This time does not exist in %(zone)s: the clocks skip it when they go forward.", zone=zone), field
        )
    return moment


def utc_to_local(moment: datetime, zone: str) -> str:
    """The form's text for a stored moment: its wall-clock time in the event's zone."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def _capacity(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not value.isascii():
        raise ServiceError(
            _("Give the number of places as a whole number, or leave it empty for no limit."), "capacity"
        )
    number = int(value)
    if number < 1:
        raise ServiceError(_("An event needs at least one place (leave it empty for no limit)."), "capacity")
    if number > CAPACITY_MAX:
        raise ServiceError(_("At most %(limit)s places.", limit=format_number(CAPACITY_MAX)), "capacity")
    return number


def _group(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    group_id = int(value) if value.isdigit() and len(value) < 10 else None
    if group_id is None or db.session.get(Group, group_id) is None:
        raise ServiceError(_("Choose a group from the list, or none."), "group")
    return group_id


def _online_url(value: str) -> str:
    if not value.strip():
        return ""
    if len(value.strip()) > ONLINE_URL_MAX:
        raise ServiceError(
            _("Web addresses can be at most %(limit)s characters.", limit=format_number(ONLINE_URL_MAX)), "online_url"
        )
    try:
        return clean_url(value)
    except ServiceError as error:
        raise ServiceError(error.message, "online_url") from None


def _times(data: EventInput, zone: str | None, checks: Checks) -> tuple[datetime | None, datetime | None]:
    """Start and end as moments, checked against each other; nothing more to say while the zone is unknown."""
    if zone is None:
        return None, None
    starts = checks.run(lambda: local_to_utc(data.starts_at, zone, "starts_at"), None)
    ends = checks.run(lambda: local_to_utc(data.ends_at, zone, "ends_at"), None)
    if starts is not None and ends is not None:
        if ends <= starts:
            checks.errors.append(ServiceError(_("The end must be after the start."), "ends_at"))
        elif ends - starts > LONGEST:
            checks.errors.append(ServiceError(_("An event can last at most 14 days."), "ends_at"))
    return starts, ends


def clean_event(data: EventInput, *, new: bool) -> Cleaned:
    """Every field checked, each refusal kept, all raised together; a new event must start in the future."""
    checks = Checks()
    title = checks.run(lambda: _title(data.title), "")
    description = checks.run(
        lambda: clean_text(data.description, limit=BODY_MAX, empty=None, noun="Descriptions", field="description"),
        "",
    )
    kind = checks.run(lambda: _kind(data.kind), EventKind.OTHER)
    host = checks.run(
        lambda: _line(data.host, limit=HOST_MAX, field="host", empty=_("Say who hosts the event, and their role.")),
        "",
    )
    zone = checks.run(lambda: _zone(data.timezone), None)
    starts, ends = _times(data, zone, checks)
    if new and starts is not None and starts <= utcnow():
        checks.errors.append(ServiceError(_("The start must be in the future."), "starts_at"))
    location = checks.run(lambda: _line(data.location, limit=LOCATION_MAX, field="location", empty=None), "")
    online_url = checks.run(lambda: _online_url(data.online_url), "")
    if not any(e.field in ("location", "online_url") for e in checks.errors) and not (location or online_url):
        checks.errors.append(ServiceError(_("Give a place, an online link, or both."), "location"))
    capacity = checks.run(lambda: _capacity(data.capacity), None)
    group_id = checks.run(lambda: _group(data.group), None)
    checks.settle()
    assert starts is not None and ends is not None and zone is not None
    return Cleaned(
        title, description, kind, host, starts, ends, zone, location, online_url, capacity, group_id, data.questions
    )


def _write(event: Event, cleaned: Cleaned) -> None:
    event.title, event.description, event.description_html = (
        cleaned.title,
        cleaned.description,
        cook(cleaned.description),
    )
    event.kind, event.host, event.timezone = cleaned.kind, cleaned.host, cleaned.timezone
    event.starts_at, event.ends_at = cleaned.starts_at, cleaned.ends_at
    event.location, event.online_url, event.capacity = cleaned.location, cleaned.online_url, cleaned.capacity
    event.group_id, event.questions = cleaned.group_id, cleaned.questions
    event.updated_at = utcnow()


def _summary(event: Event) -> dict:
    """What the audit log keeps of an event: enough to tell versions apart, no description."""
    return {
        "title": event.title,
        "starts_at": event.starts_at.isoformat() if event.starts_at else None,
        "timezone": event.timezone,
        "capacity": event.capacity,
        "group_id": event.group_id,
    }


def create_event(actor: Member, data: EventInput, submission_key: str | None = None) -> Event:
    """A new event, open for replies at once; the same form sent twice creates one (DuplicateSubmission names it)."""
    permissions.ensure(actor, "manage_events", None)
    cleaned = clean_event(data, new=True)
    claimed = submissions.claim(actor, submission_key, "event")  # first write: a twin stops here
    event = Event(created_by_id=actor.id, going_count=0, sequence=0)
    _write(event, cleaned)
    db.session.add(event)
    db.session.flush()
    submissions.settle(claimed, event.id)
    audit(actor, "create_event", event, after=_summary(event))
    webhook_events.event_created(event)
    db.session.commit()
    return event


def update_event(actor: Member, event: Event, data: EventInput) -> None:
    """Change an event; calendars see a new SEQUENCE, and more places let the waiting list move up."""
    permissions.ensure(actor, "manage_events", event)
    if event.cancelled_at is not None:
        raise ServiceError(_("This event was cancelled and can no longer be changed."))
    cleaned = clean_event(data, new=False)
    before = _summary(event)
    if cleaned.starts_at != event.starts_at:
        # A new time is new reminders: those sent were about the old one.
        db.session.execute(
            update(EventRsvp)
            .where(EventRsvp.event_id == event.id)
            .values(reminded_24h_at=None, reminded_1h_at=None)
            .execution_options(synchronize_session=False)
        )
    _write(event, cleaned)
    event.sequence += 1
    audit(actor, "edit_event", event, before=before, after=_summary(event))
    db.session.flush()
    fill_places(event.id)
    db.session.commit()


def cancel_event(actor: Member, event: Event) -> int:
    """Cancel an event and tell everyone who was going or waiting; how many were told. Cancelling twice is no error
    and tells nobody again."""
    permissions.ensure(actor, "manage_events", event)
    if event.cancelled_at is not None:
        return 0
    now = utcnow()
    event.cancelled_at, event.updated_at = now, now
    event.sequence += 1
    audit(actor, "cancel_event", event, before=_summary(event))
    member_ids = list(db.session.scalars(select(EventRsvp.member_id).where(EventRsvp.event_id == event.id)))
    message = lazy_gettext('The event "%(title)s" was cancelled.', title=event.title)
    for member_id in member_ids:
        notify(member_id, CANCELLED_KIND, message, f"/events/{event.id}")
    db.session.commit()
    return len(member_ids)
