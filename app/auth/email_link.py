"""Signing in with a link sent by e-mail (KINDRED_EMAIL_LOGIN): ask for one on the sign-in page, open it, press
"Sign in". Opening the link changes nothing, because mail scanners open links too; only the button's POST uses it."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.account.limits import address_key
from app.account.recovery import N_
from app.auth import bp, signin
from app.auth.forms import EmailLinkForm, LoginForm
from app.auth.routes import login_page
from app.extensions import limiter
from app.permissions import PUBLIC, access
from app.services import ServiceError
from app.services.members import email_login
from app.web.forms import EmptyForm
from app.web.redirects import safe_next

# Plain English, so tests can look for it in the page; flashed through _().
LINK_SENT = N_(
    "If an account uses that address, we have sent it a link to sign in. It works once and for 15 minutes. "
    "Please check your inbox (and the spam folder)."
)


def _enabled() -> None:
    """Without KINDRED_EMAIL_LOGIN these pages do not exist."""
    if not current_app.config["EMAIL_LOGIN"]:
        abort(404)


def _next() -> str | None:
    return safe_next(request.args.get("next"))


# The limits of password-reset requests: each sends mail to an address typed by anyone.
@bp.route("/login/email-link", methods=["POST"])
@access(PUBLIC)
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("3 per hour", key_func=address_key, methods=["POST"])
def email_link_request():  # noqa: ANN201
    """Ask for a sign-in link. The answer is the same whether or not the address has an account."""
    _enabled()
    if current_user.is_authenticated:
        return redirect(_next() or url_for("main.index"))
    form = EmailLinkForm()
    if form.validate_on_submit():
        email_login.request_link(form.email.data or "", _next())
        flash(_(LINK_SENT), "info")
        return redirect(url_for("auth.login", next=_next()))
    return login_page(LoginForm(formdata=None), link_form=form), 422


@bp.route("/login/email-link/<token>", methods=["GET", "POST"])
@access(PUBLIC)  # the token names the account
@limiter.limit("20 per hour", methods=["POST"])
def email_link(token: str):  # noqa: ANN201
    """The mailed link: a page with a "Sign in" button, whose POST spends the link and signs in (second factor
    included: signin.begin asks for it)."""
    _enabled()
    if current_user.is_authenticated:
        flash(_("You are already signed in."), "info")
        return redirect(_next() or url_for("main.index"))
    form = EmptyForm()
    try:
        member = email_login.member_for_link(token)
        if form.validate_on_submit():
            member = email_login.use_link(token)
            return signin.begin(member, method="email", next_url=_next())
    except ServiceError as error:
        return render_template("account/link_problem.html", message=error.message, sign_in_link=True), 400
    return render_template("auth/email_link.html", form=form, member=member, token=token)
