"""The member's passkeys (/account/passkeys): the list, adding one (with static/passkeys.js), renaming, removing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.account import bp
from app.account.forms import AddPasskeyForm, PasskeyForm
from app.account.limits import member_key
from app.community.queries import MAX_ID
from app.extensions import limiter
from app.models import Passkey
from app.permissions import SIGNED_IN, access
from app.services import ServiceError
from app.services.members import passkeys
from app.services.members.passkey_list import member_passkey_or_none, member_passkeys, remove_passkey, update_passkey
from app.web import passkey_json
from app.web.forms import apply_service_error
from app.web.reauth import recent_confirmation


def _me():  # noqa: ANN202
    return current_user._get_current_object()


def _own_or_404(passkey_id: int) -> Passkey:
    """Someone else's passkey answers exactly as a missing one."""
    passkey = member_passkey_or_none(_me(), passkey_id) if 0 < passkey_id <= MAX_ID else None
    if passkey is None:
        abort(404)
    return passkey


@bp.route("/account/passkeys")
@access(SIGNED_IN)
def passkeys_list():  # noqa: ANN201
    return render_template("account/passkeys.html", passkeys=member_passkeys(_me()), form=AddPasskeyForm())


@bp.route("/account/passkeys/register/options", methods=["POST"])
@access(SIGNED_IN)
# The password is checked here: as few tries as changing the password allows.
@limiter.limit("10 per hour", key_func=member_key, on_breach=passkey_json.limited)
def passkey_register_options():  # noqa: ANN201
    password = passkey_json.posted().get("current_password")
    try:
        options = passkeys.registration_options(_me(), password if isinstance(password, str) else "")
    except ServiceError as error:
        return passkey_json.refused(error.message, field=error.field)
    return passkey_json.options(options)


@bp.route("/account/passkeys/register/verify", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit(passkey_json.PASSKEY_LIMIT, key_func=member_key, on_breach=passkey_json.limited)
def passkey_register():  # noqa: ANN201
    body = passkey_json.posted()
    name = body.get("name")
    try:
        added = passkeys.register(_me(), body.get("credential"), name if isinstance(name, str) else "")
    except ServiceError as error:
        return passkey_json.refused(error.message)
    flash(_("Your passkey “%(name)s” is added.", name=added.name), "success")
    return passkey_json.go_to(url_for("account.passkeys_list"))


@bp.route("/account/passkeys/<int:passkey_id>", methods=["GET", "POST"])
@access(SIGNED_IN)
@recent_confirmation
def passkey_edit(passkey_id: int):  # noqa: ANN201
    passkey = _own_or_404(passkey_id)
    form = PasskeyForm(data={"name": passkey.name, "passwordless": passkey.passwordless})
    if form.validate_on_submit():
        try:
            update_passkey(_me(), passkey, name=form.name.data or "", passwordless=bool(form.passwordless.data))
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Your passkey is saved."), "success")
            return redirect(url_for("account.passkeys_list"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("account/passkey_edit.html", passkey=passkey, form=form), status


@bp.route("/account/passkeys/<int:passkey_id>/remove", methods=["POST"])
@access(SIGNED_IN)
@recent_confirmation(form_page=lambda passkey_id: url_for("account.passkeys_list"))
def passkey_remove(passkey_id: int):  # noqa: ANN201
    # CSRFProtect has already checked the token of this POST.
    passkey = _own_or_404(passkey_id)
    name = passkey.name
    remove_passkey(_me(), passkey)
    flash(_("The passkey “%(name)s” is removed: it no longer signs you in here.", name=name), "info")
    return redirect(url_for("account.passkeys_list"))
