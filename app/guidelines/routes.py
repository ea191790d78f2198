"""Versioned guidelines: the current text (at /guidelines, see app.main), history, diffs, editing and accepting."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import permissions
from app.auth.routes import safe_next
from app.extensions import db
from app.guidelines import bp
from app.guidelines.diff import diff_lines
from app.guidelines.forms import AcceptForm, GuidelinesForm
from app.models import GuidelinesVersion
from app.permissions import PUBLIC, SIGNED_IN, STAFF, access
from app.services import ServiceError
from app.services.content.guidelines import (
    accept_guidelines,
    current_number,
    default_version,
    latest_version,
    save_guidelines,
    version,
)
from app.web import drafts
from app.web.drafts import composer
from app.web.forms import apply_service_error


def _number_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 9 else None


def _version_or_404(number: int | None) -> GuidelinesVersion:
    found = version(number) if number is not None else None
    if found is None:
        abort(404)
    return found


def show_guidelines():  # noqa: ANN201 - the view behind main.guidelines
    """The version in force, or an older one with `?version=N`."""
    current = latest_version() or default_version()
    shown = current if request.args.get("version") is None else _version_or_404(_number_arg("version"))
    return render_template("guidelines/show.html", shown=shown, current=current)


@bp.route("/history")
@access(PUBLIC)
def history():  # noqa: ANN201
    versions = db.session.scalars(select(GuidelinesVersion).order_by(GuidelinesVersion.number.desc())).all()
    return render_template("guidelines/history.html", versions=versions or [default_version()])


@bp.route("/diff")
@access(PUBLIC)
def diff():  # noqa: ANN201
    """What changed between two versions (by default the one before the latest, and the latest)."""
    latest = current_number()
    new = _version_or_404(_number_arg("to") or latest)
    old = _version_or_404(_number_arg("from") or max(1, new.number - 1))
    return render_template("guidelines/diff.html", old=old, new=new, rows=diff_lines(old.raw, new.raw))


@bp.route("/edit", methods=["GET", "POST"])
@access(STAFF)
@composer("body", "note", "based_on")
def edit():  # noqa: ANN201
    permissions.ensure(current_user, "edit_guidelines", None)
    current = latest_version() or default_version()
    form = GuidelinesForm(data={"body": current.raw, "based_on": str(current.number)})
    drafts.restore(form)
    if form.validate_on_submit():
        based_on_text = form.based_on.data or ""
        based_on = int(based_on_text) if based_on_text.isdigit() else 0
        try:
            new = save_guidelines(
                current_user, form.body.data or "", form.note.data or "", material=form.material.data, based_on=based_on
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Version %(number)d of the guidelines is published.", number=new.number), "success")
            return redirect(url_for("main.guidelines"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("guidelines/edit.html", form=form, current=current), status


@bp.route("/accept", methods=["GET", "POST"])
@access(SIGNED_IN)
def accept():  # noqa: ANN201
    """Members asked to accept a material change read it here, with what changed since the version they accepted."""
    form = AcceptForm()
    if form.validate_on_submit():
        number = accept_guidelines(current_user)
        flash(_("Thank you for accepting version %(number)d of the guidelines.", number=number), "success")

        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    current = latest_version() or default_version()
    accepted = version(current_user.guidelines_version) if current_user.guidelines_version else None
    rows = diff_lines(accepted.raw, current.raw) if accepted is not None and accepted.number != current.number else []
    newer = db.session.scalars(
        select(GuidelinesVersion)
        .where(GuidelinesVersion.number > (current_user.guidelines_version or 0))
        .order_by(GuidelinesVersion.number)
    ).all()
    status = 422 if form.errors else 200
    return render_template(
        "guidelines/accept.html", form=form, current=current, accepted=accepted, rows=rows, newer=newer
    ), status
