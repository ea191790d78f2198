"""Versioned guidelines: the current text (at /guidelines, see app.main), history, diffs, editing and accepting.

Every page shows the reader's language where staff translated the version, else the original with a short note."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from app import permissions
from app.extensions import db
from app.guidelines import bp
from app.guidelines.diff import diff_lines
from app.guidelines.forms import AcceptForm, GuidelinesForm
from app.models import GuidelinesVersion
from app.permissions import PUBLIC, SIGNED_IN, STAFF, access
from app.services import ServiceError
from app.services.content.guidelines import (
    Reading,
    accept_guidelines,
    built_in_translation,
    current_number,
    default_version,
    latest_version,
    newest_text,
    reading,
    reading_in_force,
    save_guidelines,
)
from app.web import drafts
from app.web.drafts import composer
from app.web.forms import apply_service_error
from app.web.i18n import enabled_locales, language_name, language_names, page_locale
from app.web.redirects import safe_next


def _number_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 9 else None


def _reading_or_404(number: int | None) -> Reading:
    found = reading(page_locale(), number) if number is not None else None
    if found is None:
        abort(404)
    return found


def comparable(old: Reading, new: Reading) -> tuple[GuidelinesVersion, GuidelinesVersion]:
    """Two versions in one language: the reader's when both are translated, else the originals."""
    if old.translation is not None and new.translation is not None:
        return old.translation, new.translation
    return old.original, new.original


def show_guidelines():  # noqa: ANN201 - the view behind main.guidelines
    """The version in force, or an older one with `?version=N`, in the reader's language where there is one."""
    if request.args.get("version") is None:
        shown = reading_in_force(page_locale())
        number = shown.original.number
    else:
        shown, number = _reading_or_404(_number_arg("version")), current_number()
    return render_template("guidelines/show.html", reading=shown, shown=shown.shown, current_number=number)


@bp.route("/history")
@access(PUBLIC)
def history():  # noqa: ANN201
    """Every version, with its translations into the reader's language, newest first."""
    locale = page_locale()
    versions = db.session.scalars(
        select(GuidelinesVersion)
        .where(or_(~GuidelinesVersion.is_translation, GuidelinesVersion.locale == locale))
        .order_by(GuidelinesVersion.number.desc(), GuidelinesVersion.id.desc())
    ).all()
    if not versions:
        versions = [v for v in (built_in_translation(locale), default_version()) if v is not None]
    return render_template("guidelines/history.html", versions=versions)


@bp.route("/diff")
@access(PUBLIC)
def diff():  # noqa: ANN201
    """What changed between two versions (by default the one before the latest, and the latest)."""
    latest = current_number()
    new = _reading_or_404(_number_arg("to") or latest)
    old = _reading_or_404(_number_arg("from") or max(1, new.original.number - 1))
    before, after = comparable(old, new)
    rows = diff_lines(before.raw, after.raw)
    return render_template("guidelines/diff.html", old=before, new=after, rows=rows, diff_locale=after.locale)


def _editing_locale(current: GuidelinesVersion) -> str:
    chosen = request.args.get("lang", "")
    return chosen if chosen in enabled_locales() else current.locale


@bp.route("/edit", methods=["GET", "POST"])
@access(STAFF)
@composer("body", "note", "based_on")
def edit():  # noqa: ANN201
    """Staff write the next version in the original's language, or a translation of the version in force."""
    permissions.ensure(current_user, "edit_guidelines", None)
    current = latest_version() or default_version()
    locale = _editing_locale(current)
    start = current if locale == current.locale else newest_text(locale) or built_in_translation(locale) or current
    form = GuidelinesForm(data={"body": start.raw, "based_on": str(current.number), "locale": locale})
    form.locale.choices = language_names()
    drafts.restore(form)
    if form.validate_on_submit():
        based_on_text = form.based_on.data or ""
        based_on = int(based_on_text) if based_on_text.isdigit() else 0
        try:
            new = save_guidelines(
                current_user, form.body.data or "", form.note.data or "", material=form.material.data,
                based_on=based_on, locale=form.locale.data or "",
            )  # fmt: skip
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            _flash_saved(new)
            return redirect(url_for("main.guidelines"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("guidelines/edit.html", form=form, current=current, locale=locale), status


def _flash_saved(new: GuidelinesVersion) -> None:
    if new.is_translation:
        message = _(
            "The %(language)s text of version %(number)d of the guidelines is published.",
            language=language_name(new.locale),
            number=new.number,
        )
    else:
        message = _("Version %(number)d of the guidelines is published.", number=new.number)
    flash(message, "success")


@bp.route("/accept", methods=["GET", "POST"])
@access(SIGNED_IN)
def accept():  # noqa: ANN201
    """Members asked to accept a material change read it here, with what changed since the version they accepted."""
    form = AcceptForm()
    if form.validate_on_submit():
        number = accept_guidelines(current_user)
        flash(_("Thank you for accepting version %(number)d of the guidelines.", number=number), "success")

        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    current = reading_in_force(page_locale())
    accepted = reading(page_locale(), current_user.guidelines_version) if current_user.guidelines_version else None
    rows, diff_locale = [], current.shown.locale
    if accepted is not None and accepted.original.number != current.original.number:
        before, after = comparable(accepted, current)
        rows, diff_locale = diff_lines(before.raw, after.raw), after.locale
    newer = db.session.scalars(
        select(GuidelinesVersion)
        .where(~GuidelinesVersion.is_translation)
        .where(GuidelinesVersion.number > (current_user.guidelines_version or 0))
        .order_by(GuidelinesVersion.number)
    ).all()
    status = 422 if form.errors else 200
    return render_template(
        "guidelines/accept.html", form=form, reading=current, current=current.original, accepted=accepted,
        rows=rows, diff_locale=diff_locale, newer=newer,
    ), status  # fmt: skip
