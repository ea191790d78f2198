"""The nudges before posting, as staff tune them: built-in detectors on or off, and their own phrases."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.models.nudges import NudgePhrase
from app.permissions import STAFF, access
from app.services import ServiceError
from app.services.content.nudges import TOGGLES, add_nudge_phrase, remove_nudge_phrase
from app.services.moderation.settings import change_settings, get_int
from app.staff import bp
from app.staff.forms import NudgePhraseForm, NudgeSwitchesForm
from app.web.forms import apply_service_error

SWITCHES = tuple(TOGGLES.values())


def _page(switches: NudgeSwitchesForm, phrase_form: NudgePhraseForm):  # noqa: ANN202
    phrases = db.session.scalars(select(NudgePhrase).order_by(NudgePhrase.kind, NudgePhrase.phrase_key)).all()
    failed = any(form.errors or form.form_errors for form in (switches, phrase_form))
    page = render_template("staff/moderation.html", switches=switches, phrase_form=phrase_form, phrases=phrases)
    return page, 422 if failed else 200


def _switches_form() -> NudgeSwitchesForm:
    return NudgeSwitchesForm(data={key: get_int(key) == 1 for key in SWITCHES})


@bp.route("/moderation", methods=["GET", "POST"])
@access(STAFF)
def moderation():  # noqa: ANN201
    permissions.ensure(current_user, "manage_nudges", None)
    switches = _switches_form()
    if switches.validate_on_submit():
        submitted = {key: "1" if getattr(switches, key).data else "0" for key in SWITCHES}
        try:
            change_settings(current_user, submitted)
        except ServiceError as error:
            apply_service_error(switches, error)
        else:
            flash(_("Saved: the nudges use these detectors from now on."), "success")
            return redirect(url_for(".moderation"))
    return _page(switches, NudgePhraseForm(formdata=None))


@bp.route("/moderation/phrases", methods=["POST"])
@access(STAFF)
def add_phrase():  # noqa: ANN201
    permissions.ensure(current_user, "manage_nudges", None)
    form = NudgePhraseForm()
    if form.validate_on_submit():
        try:
            add_nudge_phrase(current_user, form.phrase.data or "", form.kind.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Added to the nudges."), "success")
            return redirect(url_for(".moderation"))
    return _page(NudgeSwitchesForm(formdata=None, data={key: get_int(key) == 1 for key in SWITCHES}), form)


@bp.route("/moderation/phrases/<int:phrase_id>/delete", methods=["POST"])
@access(STAFF)
def delete_phrase(phrase_id: int):  # noqa: ANN201
    permissions.ensure(current_user, "manage_nudges", None)
    row = db.session.get(NudgePhrase, phrase_id)
    if row is None:
        abort(404)
    remove_nudge_phrase(current_user, row)
    flash(_("Removed from the nudges."), "success")
    return redirect(url_for(".moderation"))
