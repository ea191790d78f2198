"""The account hub (/account): password, e-mail address and the confirmation of a new address."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import permissions
from app.account import bp
from app.account.forms import ChangeEmailForm, ChangePasswordForm
from app.account.limits import member_key
from app.extensions import limiter
from app.permissions import PUBLIC, SIGNED_IN, access
from app.services import ServiceError
from app.services.members import account, provider, two_factor
from app.web.forms import apply_service_error
from app.web.reauth import recent_confirmation


def _me():  # noqa: ANN202
    return current_user._get_current_object()


def _status() -> int:
    return 200 if request.method == "GET" else 422


@bp.route("/account")
@access(SIGNED_IN)
def index():  # noqa: ANN201
    """What the account looks like now, and where to change it."""
    me = _me()
    return render_template(
        "account/index.html",
        member=me,
        two_factor_on=two_factor.confirmed_secret(me) is not None,
        identities=provider.identities_of(me),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@access(SIGNED_IN)
@limiter.limit("10 per hour", key_func=member_key, methods=["POST"])
@recent_confirmation
def password():  # noqa: ANN201
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            ended = account.change_password(_me(), form.current_password.data or "", form.password.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            if ended:
                message = ngettext(
                    "Your password is changed. %(num)d other signed-in browser was signed out.",
                    "Your password is changed. %(num)d other signed-in browsers were signed out.",
                    ended,
                )
            else:
                message = _("Your password is changed.")
            flash(message, "success")
            return redirect(url_for("account.index"))
    return render_template("account/password.html", form=form), _status()


@bp.route("/account/email", methods=["GET", "POST"])
@access(SIGNED_IN)
@limiter.limit("5 per hour", key_func=member_key, methods=["POST"])
@recent_confirmation
def email():  # noqa: ANN201
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            account.request_email_change(_me(), form.current_password.data or "", form.email.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(
                _("We sent a link to your new address. Your address changes when you open it (within a day)."),
                "success",
            )
            return redirect(url_for("account.index"))
    return render_template("account/email.html", form=form, member=_me()), _status()


@bp.route("/account/email/confirm/<token>")
@access(PUBLIC)  # the token names the account; often opened on another device
def confirm_email(token: str):  # noqa: ANN201
    """The link sent to the new address: following it is the proof that the member reads mail there."""
    try:
        account.confirm_email_change(token)
    except ServiceError as error:
        return render_template("account/link_problem.html", message=error.message), 400
    flash(_("Your e-mail address is changed."), "success")
    return redirect(url_for("account.index" if current_user.is_authenticated else "auth.login"))


@bp.route("/account/verify-email/resend", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit("3 per hour", key_func=member_key)
def resend_verification():  # noqa: ANN201
    """Send the confirmation link again, a few times an hour at most."""
    permissions.ensure(_me(), "resend_verification", None)
    try:
        account.resend_verification(_me())
    except ServiceError as error:
        flash(error.message, "info")
    else:
        flash(_("We sent the link again. Please check your inbox (and the spam folder)."), "success")
    return redirect(url_for("account.index"))
