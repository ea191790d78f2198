"""The member's own account pages: edit profile, export everything, delete the account.

Every page acts on the signed-in member only: no URL names a member, so there is no one else's to ask for.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.extensions import db, limiter
from app.permissions import SIGNED_IN, access
from app.privacy import bp
from app.privacy.forms import DeleteAccountForm, ProfileForm
from app.services import ServiceError
from app.services.members.erasure import delete_account as erase_account
from app.services.members.export import export_data, to_json
from app.services.members.profiles import update_profile
from app.services.members.zipstream import zip_stream
from app.services.pictures.files import export_files
from app.web.forms import EmptyForm, apply_service_error
from app.web.reauth import recent_confirmation


def _me():  # noqa: ANN202
    return current_user._get_current_object()


@bp.route("/profile", methods=["GET", "POST"])
@access(SIGNED_IN)
def edit_profile():  # noqa: ANN201
    me = _me()
    data = {
        "bio": me.bio,
        "visibility": me.profile_visibility.value,
        "repost": me.repost_consent,
        "repost_name": me.repost_name_consent,
    }
    form = ProfileForm(data=data)
    if form.validate_on_submit():
        try:
            update_profile(
                me,
                me,
                bio=form.bio.data or "",
                visibility=form.visibility.data or "",
                repost=bool(form.repost.data),
                repost_name=bool(form.repost_name.data),
            )
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for(".edit_profile"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("account/profile.html", form=form), status


@bp.route("/export", methods=["GET", "POST"])
@access(SIGNED_IN)
@limiter.limit("10 per hour", methods=["POST"])
@recent_confirmation
def export():  # noqa: ANN201
    """GET explains what the ZIP holds; POST (CSRF-checked) streams it, built from the database just now."""
    form = EmptyForm()
    if not form.validate_on_submit():
        return render_template("account/export.html", form=form)
    data = export_data(_me(), _me())
    files = {
        "kindred-export.json": to_json(data),
        "index.html": render_template("account/export_index.html", data=data).encode(),
        **export_files(data["pictures"]),
    }
    response = Response(zip_stream(files), mimetype="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="kindred-export.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@access(SIGNED_IN)
@limiter.limit("10 per hour", methods=["POST"])
@recent_confirmation
def delete_account():  # noqa: ANN201
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            erase_account(_me(), _me(), password=form.password.data or "", remove_posts=bool(form.remove_posts.data))
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            logout_user()
            session.clear()
            flash(_("Your account is deleted. Thank you for being part of the community. Take care."), "info")
            return redirect(url_for("main.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("account/delete.html", form=form), status
