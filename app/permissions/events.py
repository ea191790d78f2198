"""Events: who may see one, RSVP to it, see its online link, and run events at all.

A members-only group's events are for the members who joined that group (and staff, who run them): they are absent
from lists, calendars and feeds for everyone else, and their pages answer 404 (see `visible_event_filter`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select, true

from app.extensions import db
from app.models import Event, Group, GroupMembership, GroupVisibility, Member
from app.models.base import utcnow
from app.permissions.common import Rule, as_member, is_staff, staff_only
from app.permissions.refusals import SIGN_IN, SUSPENDED
from app.text.lazy import lazy_text as _l

NOT_FOR_YOU = _l("This event is for the members of its group.")
CANCELLED = _l("This event was cancelled, so it takes no replies.")
STARTED = _l("This event has already started, so it takes no more replies.")
# The online link is given to those going, from this long before the start, so it is not passed around early.
LINK_SHOWN_BEFORE = timedelta(hours=1)
LINK_NOT_YET = _l("The link to join appears here an hour before the start.")
LINK_NOT_GOING = _l("The link to join is shown to members who are going.")


def _joined(member: Member, group_id: int) -> bool:
    """Whether the member joined the group; cached per request on the member, as a topic page may ask often."""
    cache = member.__dict__.setdefault("_event_groups_joined", {})
    if group_id not in cache:
        cache[group_id] = db.session.get(GroupMembership, (member.id, group_id)) is not None
    return cache[group_id]


def view_group_events(member: Member | None, target: tuple[Group, bool]) -> str | None:
    """A group's events; `target` is the group and whether the reader joined it (a group page knows already)."""
    group, joined = target
    # A public group's events are for everyone.
    if group.visibility == GroupVisibility.PUBLIC:
        return None
    # A members-only group's events: the members who joined it, and staff who run them.
    if member is None:
        return SIGN_IN
    return None if joined or is_staff(member) else NOT_FOR_YOU


def view_event(member: Member | None, event: Event) -> str | None:
    # Events outside any group, or in a public group, are for everyone.
    group: Group | None = event.group
    if group is None or group.visibility == GroupVisibility.PUBLIC:
        return None
    # A members-only group's events: its members, and staff who run them (the group page's rule).
    return view_group_events(member, (group, member is not None and _joined(member, group.id)))


def rsvp_event(member: Member | None, event: Event) -> str | None:
    # Replies belong to an account, of someone who may see the event.
    if member is None:
        return SIGN_IN
    if (reason := view_event(member, event)) is not None:
        return reason
    if member.is_suspended:
        return SUSPENDED
    # Cancelled and started events take no replies; "not going any more" is always allowed (see leave_event).
    if event.cancelled_at is not None:
        return CANCELLED
    if event.starts_at <= utcnow():
        return STARTED
    return None


def leave_event(member: Member | None, event: Event) -> str | None:
    # Anyone with a reply may take it back, suspended or not, until the event starts.
    if member is None:
        return SIGN_IN
    if (reason := view_event(member, event)) is not None:
        return reason
    return STARTED if event.starts_at <= utcnow() else None


def see_online_link(member: Member | None, target: tuple[Event, bool]) -> str | None:
    """`target` is the event and whether this member is going (the page knows it already)."""
    event, going = target
    if member is None or not going:
        return LINK_NOT_GOING
    if event.cancelled_at is not None:
        return CANCELLED
    return LINK_NOT_YET if utcnow() < event.starts_at - LINK_SHOWN_BEFORE else None


def visible_event_filter(actor: Any) -> ColumnElement[bool]:
    """WHERE clause for the events `actor` may see in lists and calendars; the same ladder as view_event."""
    member = as_member(actor)
    open_to_all = or_(
        Event.group_id.is_(None),
        exists().where(Group.id == Event.group_id, Group.visibility == GroupVisibility.PUBLIC),
    )
    if member is None:
        return open_to_all
    if is_staff(member):
        return true()
    joined = exists(
        select(GroupMembership.group_id).where(
            GroupMembership.group_id == Event.group_id, GroupMembership.member_id == member.id
        )
    )
    return or_(open_to_all, joined)


RULES: dict[str, Rule] = {
    "view_event": view_event,
    "view_group_events": view_group_events,
    "rsvp_event": rsvp_event,
    "leave_event": leave_event,
    "see_online_link": see_online_link,
    "manage_events": staff_only,
}
