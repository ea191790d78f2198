"""Choosing the language and time zone: the member's page, and the footer's switch that every page carries."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField, SelectField

from app.account import bp
from app.permissions import PUBLIC, SIGNED_IN, access
from app.services import ServiceError
from app.services.members.language import change_language, time_zones
from app.web.forms import PageForm, apply_service_error
from app.web.i18n import enabled_locales, language_names, remember_language, select_locale
from app.web.redirects import safe_next


class LanguageForm(PageForm):
    language = SelectField(_l("Language"), validate_choice=False)
    timezone = SelectField(
        _l("Time zone"),
        description=_l("Dates and times on the site and in e-mails are shown in this zone."),
        validate_choice=False,
    )
    next = HiddenField()


@bp.route("/account/language", methods=["GET", "POST"])
@access(SIGNED_IN)
def language():  # noqa: ANN201
    member = current_user._get_current_object()
    form = LanguageForm(data={"language": select_locale(), "timezone": member.timezone or "UTC"})
    form.language.choices = language_names()
    form.timezone.choices = [(zone, zone.replace("_", " ")) for zone in time_zones()]
    if form.validate_on_submit():
        # The footer's switch sends the language alone; the page sends both.
        zone = form.timezone.data if "timezone" in request.form else None
        try:
            change_language(member, language=form.language.data or "", timezone=zone)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            with force_locale(member.locale):
                flash(gettext("Your language and time zone are saved."), "success")
            back = safe_next(form.next.data) or url_for("account.language")
            return remember_language(redirect(back), member.locale or "")
    status = 422 if form.errors or form.form_errors else 200
    return render_template("account/language.html", form=form), status


@bp.route("/language")
@access(PUBLIC)
def switch_language():  # noqa: ANN201
    """The footer's switch for visitors: a plain GET form, so pages shared by all visitors carry no token. It sets
    only the browser's cookie; signed-in members' footers post to /account/language instead."""
    code = request.args.get("language", "")
    back = redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return remember_language(back, code) if code in enabled_locales() else back
