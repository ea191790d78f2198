"""Site-wide announcements: staff post a banner, optionally until a date, and end it early (staff only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import permissions
from app.extensions import db
from app.models import Announcement
from app.models.base import utcnow
from app.permissions import STAFF, access
from app.services import ServiceError
from app.services.content.announcements import create_announcement, end_announcement
from app.staff import bp
from app.staff.forms import AnnouncementForm
from app.web import drafts
from app.web.drafts import composer
from app.web.forms import apply_service_error

RECENT = 50


@bp.route("/announcements", methods=["GET", "POST"])
@access(STAFF)
@composer("body")
def announcements():  # noqa: ANN201
    permissions.ensure(current_user, "manage_announcements", None)
    form = AnnouncementForm()
    drafts.restore(form)
    if form.validate_on_submit():
        try:
            create_announcement(current_user, form.body.data or "", form.ends_on.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("The announcement is live."), "success")
            return redirect(url_for(".announcements"))
    items = db.session.scalars(
        select(Announcement).options(joinedload(Announcement.created_by)).order_by(Announcement.id.desc()).limit(RECENT)
    ).all()
    status = 422 if form.errors or form.form_errors else 200
    return render_template("staff/announcements.html", form=form, items=items, now=utcnow()), status


@bp.route("/announcements/<int:announcement_id>/end", methods=["POST"], endpoint="end_announcement")
@access(STAFF)
def end_announcement_view(announcement_id: int):  # noqa: ANN201
    announcement = db.session.get(Announcement, announcement_id) if announcement_id < 2**31 else None
    if announcement is None:
        abort(404)
    try:
        end_announcement(current_user, announcement)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(_("The announcement has ended."), "success")
    return redirect(url_for(".announcements"))
