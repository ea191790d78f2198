"""The events list, each event's page and its reply buttons (one-button POSTs), and the calendar files."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.events import bp
from app.events.queries import count_events, event_or_404, listed_events, waiting_count
from app.extensions import limiter
from app.models import Member, RsvpStatus
from app.permissions import PUBLIC, SIGNED_IN, access
from app.services.events.calendar import calendar_bytes, feed_events, feed_member, feed_token, reset_feed_token
from app.services.events.places import leave, my_rsvp, rsvp, waiting_position
from app.services.members.tokens import external_url
from app.web.pagination import make_page

# A feed address is a secret: guessing tokens is slowed down, while a calendar app polling its feed is not.
FEED_LIMIT = "60 per minute; 600 per hour"


def _me() -> Member | None:
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.route("/events")
@access(PUBLIC)
def index():  # noqa: ANN201
    past = request.args.get("when") == "past"
    page = make_page(count_events(_me(), past=past), current_app.config["TOPICS_PER_PAGE"])
    events = listed_events(_me(), past=past, offset=page.offset, limit=page.per_page)
    return render_template("events/index.html", events=events, page=page, past=past)


@bp.route("/events/<int:event_id>")
@access(PUBLIC)
def show(event_id: int):  # noqa: ANN201
    event = event_or_404(event_id, _me())
    mine = my_rsvp(_me(), event)
    going = mine is not None and mine.status == RsvpStatus.GOING
    return render_template(
        "events/event.html",
        event=event,
        rsvp=mine,
        going=going,
        position=waiting_position(mine) if mine is not None and mine.status == RsvpStatus.WAITING else None,
        waiting=waiting_count(event),
        link_refusal=permissions.why_not(_me(), "see_online_link", (event, going)),
        rsvp_refusal=permissions.why_not(_me(), "rsvp_event", event),
    )


@bp.route("/events/<int:event_id>/rsvp", methods=["POST"])
@access(SIGNED_IN)
def attend(event_id: int):  # noqa: ANN201
    event = event_or_404(event_id, _me())
    status = rsvp(current_user, event)
    if status == RsvpStatus.GOING:
        flash(_("You are going. We will remind you a day and an hour before."), "success")
    else:
        flash(
            _("The event is full, so you are on the waiting list. If a place frees, it is yours and we tell you."),
            "info",
        )
    return redirect(url_for(".show", event_id=event.id))


@bp.route("/events/<int:event_id>/leave", methods=["POST"])
@access(SIGNED_IN)
def withdraw(event_id: int):  # noqa: ANN201
    event = event_or_404(event_id, _me())
    if leave(current_user, event):
        flash(_("You are no longer going. Your place is free for someone else."), "info")
    return redirect(url_for(".show", event_id=event.id))


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/events/<int:event_id>.ics")
@access(PUBLIC)
def event_ics(event_id: int):  # noqa: ANN201
    event = event_or_404(event_id, _me())
    return _ics(calendar_bytes([event], event.title), f"event-{event.id}.ics")


@bp.route("/events/calendar.ics")
@access(PUBLIC)
@limiter.limit(FEED_LIMIT)
def feed():  # noqa: ANN201
    """The member's private feed: the token is the only credential (calendar apps send no cookies)."""
    member = feed_member(request.args.get("token", ""))
    if member is None:
        return Response(_("This calendar address is not valid (it may have been reset)."), 404, mimetype="text/plain")
    name = _("%(site)s: my events", site=current_app.config["SITE_NAME"])
    response = _ics(calendar_bytes(feed_events(member), name), "my-events.ics")
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/events/calendar")
@access(SIGNED_IN)
def calendar():  # noqa: ANN201
    address = external_url("events.feed", token=feed_token(current_user))
    return render_template("events/calendar.html", address=address)


@bp.route("/events/calendar/reset", methods=["POST"])
@access(SIGNED_IN)
def reset_calendar():  # noqa: ANN201
    reset_feed_token(current_user)
    flash(_("Your calendar has a new address. The old one no longer works: update it in your calendar app."), "success")
    return redirect(url_for(".calendar"))
