"""What the team tunes: watched words, and the community settings staff keep."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.mod import bp
from app.mod.forms import (
    WatchedWordForm,
    settings_form,
)
from app.models.moderation import WatchedWord
from app.permissions import STAFF, TEAM, access
from app.services import ServiceError
from app.services.moderation.settings import (
    INT_SETTINGS,
    TEXT_SETTINGS,
    change_settings,
    crisis_panel_key,
    get_int,
    get_text,
)
from app.services.moderation.watched_words import ACTION_LABELS as WATCH_ACTION_LABELS
from app.services.moderation.watched_words import add_watched_word, remove_watched_word
from app.web.forms import apply_service_error
from app.web.i18n import language_names


@bp.route("/watched-words", methods=["GET", "POST"])
@access(TEAM)
def watched_words():  # noqa: ANN201
    permissions.ensure(current_user, "manage_watched_words", None)
    form = WatchedWordForm()
    if form.validate_on_submit():
        try:
            add_watched_word(current_user, form.phrase.data or "", form.action.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Added to the watched words."), "success")
            return redirect(url_for(".watched_words"))
    words = db.session.scalars(select(WatchedWord).order_by(WatchedWord.phrase_key)).all()
    status = 422 if form.errors or form.form_errors else 200
    page = render_template("mod/watched_words.html", form=form, words=words, action_labels=WATCH_ACTION_LABELS)
    return page, status


@bp.route("/watched-words/<int:word_id>/delete", methods=["POST"])
@access(TEAM)
def delete_watched_word(word_id: int):  # noqa: ANN201
    permissions.ensure(current_user, "manage_watched_words", None)
    word = db.session.get(WatchedWord, word_id)
    if word is None:
        abort(404)
    remove_watched_word(current_user, word)
    flash(_("Removed from the watched words."), "success")
    return redirect(url_for(".watched_words"))


def _as_text(value: object) -> str:
    """A field's value as the settings service takes it: a ticked box is 1, an empty field nothing."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


@bp.route("/settings", methods=["GET", "POST"])
@access(STAFF)
def settings():  # noqa: ANN201
    permissions.ensure(current_user, "edit_settings", None)
    languages = [(code, name) for code, name in language_names() if crisis_panel_key(code) in TEXT_SETTINGS]
    panels = {crisis_panel_key(code): get_text(crisis_panel_key(code)) for code, _name in languages}
    current = {key: get_int(key) for key in INT_SETTINGS} | panels
    form = settings_form(languages)(data=current)
    if form.validate_on_submit():
        submitted = {key: _as_text(getattr(form, key).data) for key in current}
        try:
            change_settings(current_user, submitted)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for(".settings"))
    return render_template(
        "mod/settings.html", form=form, panels=list(panels)
    ), 422 if form.errors or form.form_errors else 200
