"""Pages reached from e-mail or while signed out: confirm the address, forgot password, choose a new one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.account import bp
from app.account.forms import ForgotPasswordForm, ResetPasswordForm
from app.account.limits import address_key
from app.extensions import limiter
from app.permissions import PUBLIC, access
from app.services import ServiceError
from app.services.members import account
from app.web.forms import apply_service_error


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction, translate later"
    """Marks a sentence for the catalogue while it stays plain English here; `_()` translates it where it is shown."""
    return message


# Plain English, so tests can look for it in the page; flashed through _().
RESET_SENT = N_(
    "If an account uses that address, we have sent it a link to choose a new password. "
    "It works for one hour. Please check your inbox (and the spam folder)."
)


@bp.route("/verify-email/<token>")
@access(PUBLIC)  # the token names the account
def verify_email(token: str):  # noqa: ANN201
    """The link in the welcome e-mail: confirms the address, once."""
    try:
        account.verify_email(token)
    except ServiceError as error:
        return render_template("account/link_problem.html", message=error.message), 400
    flash(_("Thank you: your e-mail address is confirmed. You can now take part fully."), "success")
    return redirect(url_for("main.index"))


@bp.route("/password-reset", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("3 per hour", key_func=address_key, methods=["POST"])
def forgot_password():  # noqa: ANN201
    """Ask for a reset link. The answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        account.request_password_reset(form.email.data or "")
        flash(_(RESET_SENT), "info")
        return redirect(url_for("auth.login"))
    return render_template("account/forgot_password.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token: str):  # noqa: ANN201
    """Choose a new password from the mailed link; every signed-in browser of the account is signed out."""
    try:
        member = account.member_for_reset(token)
    except ServiceError as error:
        return render_template("account/link_problem.html", message=error.message, reset=True), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            account.reset_password(token, form.password.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(_("Your password is changed and you are signed out everywhere. Please sign in with it."), "success")
            return redirect(url_for("auth.login"))
    status = 200 if request.method == "GET" else 422
    return render_template("account/reset_password.html", form=form, member=member, token=token), status
