"""Running events: the list, creating, editing and cancelling them (staff only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app import permissions
from app.events.queries import event_or_404
from app.extensions import db
from app.models import Event, Group
from app.permissions import STAFF, access
from app.services import ServiceError
from app.services.events.schedule import EventInput, cancel_event, create_event, update_event, utc_to_local
from app.services.members.language import recipient_timezone, time_zones
from app.staff import bp
from app.staff.forms import EventForm
from app.web.forms import EmptyForm, apply_service_error

STAFF_LIST_LIMIT = 200


def _form(event: Event | None = None) -> EventForm:
    data: dict[str, str | bool] = {"timezone": recipient_timezone(current_user)}
    if event is not None:
        data = {
            "title": event.title,
            "description": event.description,
            "kind": event.kind.value,
            "host": event.host,
            "starts_at": utc_to_local(event.starts_at, event.timezone),
            "ends_at": utc_to_local(event.ends_at, event.timezone),
            "timezone": event.timezone,
            "location": event.location,
            "online_url": event.online_url,
            "capacity": "" if event.capacity is None else str(event.capacity),
            "group": "" if event.group_id is None else str(event.group_id),
            "questions": event.questions,
        }
    form = EventForm(data=data)
    form.timezone.choices = [(zone, zone.replace("_", " ")) for zone in time_zones()]
    groups = db.session.scalars(select(Group).order_by(Group.position, Group.name))
    form.group.choices = [("", _("No group: for everyone"))] + [(str(g.id), g.name) for g in groups]
    return form


def _input(form: EventForm) -> EventInput:
    return EventInput(
        title=form.title.data or "",
        description=form.description.data or "",
        kind=form.kind.data or "",
        host=form.host.data or "",
        starts_at=form.starts_at.data or "",
        ends_at=form.ends_at.data or "",
        timezone=form.timezone.data or "",
        location=form.location.data or "",
        online_url=form.online_url.data or "",
        capacity=form.capacity.data or "",
        group=form.group.data or "",
        questions=bool(form.questions.data),
    )


@bp.route("/events")
@access(STAFF)
def events():  # noqa: ANN201
    permissions.ensure(current_user, "manage_events", None)
    query = select(Event).order_by(Event.starts_at.desc(), Event.id.desc()).limit(STAFF_LIST_LIMIT)
    return render_template("staff/events.html", events=list(db.session.scalars(query)))


@bp.route("/events/new", methods=["GET", "POST"])
@access(STAFF)
def new_event():  # noqa: ANN201
    permissions.ensure(current_user, "manage_events", None)
    form = _form()
    if form.validate_on_submit():
        try:
            event = create_event(current_user, _input(form))
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            flash(_("The event is published."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("staff/event_form.html", form=form, event=None), status


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@access(STAFF)
def edit_event(event_id: int):  # noqa: ANN201
    permissions.ensure(current_user, "manage_events", None)
    event = event_or_404(event_id, current_user)
    form = _form(event)
    if form.validate_on_submit():
        try:
            update_event(current_user, event, _input(form))
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("staff/event_form.html", form=form, event=event), status


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@access(STAFF)
def cancel_event_view(event_id: int):  # noqa: ANN201
    """A page that asks first; the POST from it cancels and tells everyone going or waiting."""
    permissions.ensure(current_user, "manage_events", None)
    event = event_or_404(event_id, current_user)
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        told = cancel_event(current_user, event)
        flash(ngettext("Cancelled. %(num)d member was told.", "Cancelled. %(num)d members were told.", told), "success")
        return redirect(url_for(".events"))
    return render_template("staff/event_cancel.html", event=event, form=form), 422 if form.errors else 200
