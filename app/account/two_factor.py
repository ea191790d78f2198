"""Two-factor sign-in with an authenticator app: set it up, keep recovery codes, change or turn it off."""

from __future__ import annotations

import segno
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from app.account import bp
from app.account.forms import ConfirmTwoFactorForm, TwoFactorCheckForm
from app.account.limits import member_key
from app.extensions import limiter
from app.models import Member
from app.models.two_factor import TotpSecret
from app.permissions import SIGNED_IN, access, enrolment_required
from app.services import ServiceError
from app.services.members import two_factor as totp
from app.web.forms import apply_service_error, run_and_flash
from app.web.reauth import recent_confirmation

# Each code typed here is a guess at a secret: a few mistakes while learning the app, not a search.
CODE_GUESSES = "20 per hour"


def _me() -> Member:
    return current_user._get_current_object()


def _status() -> int:
    return 200 if request.method == "GET" else 422


def grouped(secret: str) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code(member: Member, secret: TotpSecret) -> Markup:
    """The otpauth:// address as an inline SVG QR code, drawn here: no outside service sees the secret."""
    code = segno.make(totp.provisioning_uri(member, secret), error="m")
    title = _("QR code for your authenticator app")
    svg = code.svg_inline(scale=5, border=4, omitsize=True, dark="#000", light="#fff", svgclass="qr-code", title=title)
    return Markup(svg)  # noqa: S704 - segno's own markup; the address is drawn as modules, never as text


def _codes_page(codes: list[str]) -> Response:
    """The recovery codes, this once: never cached, never shown again."""
    response = make_response(render_template("account/two_factor_codes.html", codes=codes))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/two-factor")
@access(SIGNED_IN)
def two_factor():  # noqa: ANN201
    """Whether two-factor sign-in is on; while setting it up, the QR code, the secret and the first-code form."""
    return _overview(ConfirmTwoFactorForm()), 200


def _overview(form: ConfirmTwoFactorForm) -> str:
    member = _me()
    enrolling = totp.enrolling_secret(member)
    return render_template(
        "account/two_factor.html",
        member=member,
        confirmed=totp.confirmed_secret(member),
        enrolling=enrolling,
        qr=qr_code(member, enrolling) if enrolling else None,
        secret=grouped(enrolling.secret) if enrolling else None,
        codes_left=totp.unused_recovery_codes(member),
        required=enrolment_required(member),
        form=form,
    )


@bp.route("/account/two-factor/start", methods=["POST"])
@access(SIGNED_IN)
@recent_confirmation(form_page=lambda: url_for("account.two_factor"))
def two_factor_start():  # noqa: ANN201
    """A new secret to scan (or a fresh one, starting over)."""
    run_and_flash(lambda: totp.start_enrolment(_me()), _("Scan the QR code with your authenticator app."))
    return redirect(url_for("account.two_factor"))


@bp.route("/account/two-factor/confirm", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit(CODE_GUESSES, key_func=member_key)
def two_factor_confirm():  # noqa: ANN201
    form = ConfirmTwoFactorForm()
    if form.validate_on_submit():
        try:
            codes = totp.confirm_enrolment(_me(), form.code.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Two-factor sign-in is on. From now on, signing in asks for a code from your app."), "success")
            return _codes_page(codes)
    return _overview(form), 422


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@access(SIGNED_IN)
@limiter.limit(CODE_GUESSES, key_func=member_key, methods=["POST"])
def two_factor_recovery_codes():  # noqa: ANN201
    """New recovery codes, the old ones void (password and a code)."""
    if totp.confirmed_secret(_me()) is None:
        return redirect(url_for("account.two_factor"))
    form = TwoFactorCheckForm()
    if form.validate_on_submit():
        try:
            codes = totp.regenerate_recovery_codes(_me(), form.password.data or "", form.code.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Here are your new recovery codes. The old ones no longer work."), "success")
            return _codes_page(codes)
    return render_template("account/two_factor_check.html", form=form, purpose="codes"), _status()


@bp.route("/account/two-factor/disable", methods=["GET", "POST"])
@access(SIGNED_IN)
@limiter.limit(CODE_GUESSES, key_func=member_key, methods=["POST"])
def two_factor_disable():  # noqa: ANN201
    """Turn two-factor sign-in off (password and a code)."""
    if totp.confirmed_secret(_me()) is None:
        return redirect(url_for("account.two_factor"))
    form = TwoFactorCheckForm()
    if form.validate_on_submit():
        try:
            totp.disable(_me(), form.password.data or "", form.code.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Two-factor sign-in is off. Your password alone now signs you in."), "success")
            return redirect(url_for("account.two_factor"))
    return render_template("account/two_factor_check.html", form=form, purpose="disable"), _status()
