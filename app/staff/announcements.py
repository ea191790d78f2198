"""Site-wide announcements: staff post a banner, optionally until a date and with a text per language, edit its
texts, and end it early (staff only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import permissions
from app.extensions import db
from app.models import Announcement
from app.models.base import community_locale, utcnow
from app.permissions import STAFF, access
from app.services import ServiceError
from app.services.content.announcements import (
    create_announcement,
    delete_announcement,
    edit_announcement,
    end_announcement,
    pictures_of,
    translations_of,
)
from app.staff import bp
from app.staff.forms import AnnouncementForm, AnnouncementTextsForm, with_languages
from app.web import drafts
from app.web.drafts import composer
from app.web.forms import apply_service_error
from app.web.i18n import language_name, language_names
from app.web.pictures import removed_ids, upload_limit, uploads_from

RECENT = 50


def _other_languages(original: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, name) for code, name in language_names() if code != original)


def _describe_original(form: AnnouncementTextsForm, original: str) -> None:
    """Name each box's language in the page's language ("Text in Arabic", "Texto en árabe")."""
    form.body.description = _(
        "In %(language)s. Readers whose language has no text of its own read this one.",
        language=language_name(original),
    )
    for code, field in form.language_fields():
        field.label.text = _("Text in %(language)s (optional)", language=language_name(code))


@bp.route("/announcements", methods=["GET", "POST"])
@access(STAFF)
@composer("body")
@upload_limit
def announcements():  # noqa: ANN201
    permissions.ensure(current_user, "manage_announcements", None)
    original = community_locale()
    form = with_languages(AnnouncementForm, _other_languages(original))()
    _describe_original(form, original)
    drafts.restore(form)
    if form.validate_on_submit():
        try:
            create_announcement(
                current_user, form.body.data or "", form.ends_on.data, form.translations(), uploads_from(form)
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("The announcement is live."), "success")
            return redirect(url_for(".announcements"))
    items = (
        db.session.scalars(
            select(Announcement)
            .options(
                joinedload(Announcement.created_by),
                selectinload(Announcement.translations),
                joinedload(Announcement.pictures),  # in the list's own statement: the page keeps its count
            )
            .order_by(Announcement.id.desc())
            .limit(RECENT)
        )
        .unique()
        .all()
    )
    status = 422 if form.errors or form.form_errors else 200
    return render_template("staff/announcements.html", form=form, items=items, now=utcnow()), status


def _announcement_or_404(announcement_id: int) -> Announcement:
    announcement = db.session.get(Announcement, announcement_id) if announcement_id < 2**31 else None
    if announcement is None:
        abort(404)
    return announcement


@bp.route("/announcements/<int:announcement_id>/edit", methods=["GET", "POST"], endpoint="edit_announcement")
@access(STAFF)
@upload_limit
def edit_announcement_view(announcement_id: int):  # noqa: ANN201
    """Correct the texts of a banner, or add its text in more languages."""
    announcement = _announcement_or_404(announcement_id)
    permissions.ensure(current_user, "manage_announcements", announcement)
    texts = {f"text_{code}": row.raw for code, row in translations_of(announcement).items()}
    form = with_languages(AnnouncementTextsForm, _other_languages(announcement.locale))(
        data={"body": announcement.raw, **texts}
    )
    _describe_original(form, announcement.locale)
    if form.validate_on_submit():
        try:
            edit_announcement(
                current_user,
                announcement,
                form.body.data or "",
                form.translations(),
                uploads_from(form),
                removed_ids(form),
            )
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            flash(_("The announcement is saved."), "success")
            return redirect(url_for(".announcements"))
    status = 422 if form.errors or form.form_errors else 200
    page = render_template(
        "staff/announcement_edit.html", form=form, announcement=announcement, pictures=pictures_of(announcement)
    )
    return page, status


@bp.route("/announcements/<int:announcement_id>/end", methods=["POST"], endpoint="end_announcement")
@access(STAFF)
def end_announcement_view(announcement_id: int):  # noqa: ANN201
    announcement = _announcement_or_404(announcement_id)
    try:
        end_announcement(current_user, announcement)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(_("The announcement has ended."), "success")
    return redirect(url_for(".announcements"))


@bp.route("/announcements/<int:announcement_id>/delete", methods=["POST"], endpoint="delete_announcement")
@access(STAFF)
def delete_announcement_view(announcement_id: int):  # noqa: ANN201
    """Remove an announcement for good, with its pictures."""
    delete_announcement(current_user, _announcement_or_404(announcement_id))
    flash(_("The announcement is deleted."), "success")
    return redirect(url_for(".announcements"))
