"""Sign up, sign in and sign out."""

from __future__ import annotations

import math
import time

import flask
from flask import current_app, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter import RequestLimit
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from app.auth import bp, signin
from app.auth.forms import EmailLinkForm, LoginForm, RegisterForm
from app.database.replica import on_primary
from app.extensions import limiter, login_manager
from app.permissions import PUBLIC, SIGNED_IN, access
from app.services import ServiceError
from app.services.members import login_throttle
from app.services.members.accounts import (
    authenticate,
    check_new_member,
    create_member,
    end_session,
    load_session,
)
from app.web.forms import apply_service_error
from app.web.limits import try_again_sentence
from app.web.redirects import safe_next

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.localize_callback = str  # the lazy sentence above, in the page's language (flashes must be plain str)
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def _load_member(token: str):  # noqa: ANN202
    """Sessions are looked up on the primary: one created a moment ago may not have reached a read replica yet."""
    with on_primary():
        return load_session(token)


BAD_LOGIN = _l("That e-mail address and password don't match an account.")


def _throttled(minutes: int) -> str:
    return ngettext(
        "Too many unsuccessful sign-ins with this e-mail address. Please wait %(num)d minute and try again, "
        "or sign in from a browser you have used here before.",
        "Too many unsuccessful sign-ins with this e-mail address. Please wait %(num)d minutes and try again, "
        "or sign in from a browser you have used here before.",
        minutes,
    )


def _joined(response: Response) -> bool:
    return bool(g.get("kindred_account_created"))


def _register_again(limit: RequestLimit) -> flask.Response:
    """Sign-up's limit page is the form itself, with what was typed (never the passwords) and when to retry."""
    form = RegisterForm()
    wait = max(1, math.ceil(limit.reset_at - time.time()))
    form.form_errors.append(
        _("Many people have tried to join from your network recently, so we have paused sign-ups from it for a while.")
        + " "
        + try_again_sentence(wait)
    )
    page = render_template("auth/register.html", form=form)
    return make_response(page, 429, {"Retry-After": str(wait)})


# People behind one address (a hospital's guest Wi-Fi, a library) share these limits. Mistakes cost only from the
# generous allowance of attempts; joining costs from the allowance of accounts an address may create.
REGISTER_ATTEMPTS = "60 per hour; 300 per day"
ACCOUNTS_PER_ADDRESS = "10 per hour; 50 per day"


@bp.route("/register", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(REGISTER_ATTEMPTS, methods=["POST"], on_breach=_register_again)
@limiter.limit(ACCOUNTS_PER_ADDRESS, methods=["POST"], deduct_when=_joined, on_breach=_register_again)
def register():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            member = create_member(
                email=form.email.data or "",
                display_name=form.display_name.data or "",
                password=form.password.data or "",
                accepted_guidelines=True,
                verify_email=current_app.config["VERIFY_EMAIL"],
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            g.kindred_account_created = True  # counts against the address's allowance of new accounts
            signin.finish(member)
            if member.email_verified_at:
                welcome = _(
                    "Welcome to the community, %(name)s! Join a group to start taking part.", name=member.display_name
                )
            else:
                welcome = _(
                    "Welcome to the community, %(name)s! Join a group to start taking part. "
                    "Please confirm your address with the link we e-mailed you.",
                    name=member.display_name,
                )
            flash(welcome, "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    elif form.is_submitted() and not form.csrf_token.errors:
        _every_problem(form)
    return render_template("auth/register.html", form=form), 200 if request.method == "GET" else 422


def _every_problem(form: RegisterForm) -> None:
    """The form's own checks stopped short of the account rules: name those too, so one round fixes everything."""
    try:
        check_new_member(
            email=form.email.data or "", display_name=form.display_name.data or "", password=form.password.data or ""
        )
    except ServiceError as error:
        apply_service_error(form, error, only_unmarked=True)


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit("6 per minute; 30 per hour", methods=["POST"])
def login():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email, password = form.email.data or "", form.password.data or ""  # both required, so never empty here
        key = login_throttle.account_key(email)
        known_device = login_throttle.is_known_device(request.cookies.get(login_throttle.DEVICE_COOKIE), key)
        wait = 0 if known_device else login_throttle.retry_after(key)
        if wait:  # refused without checking the password, the same for known and unknown addresses
            form.form_errors.append(_throttled(-(-wait // 60)))
            return login_page(form), 429, {"Retry-After": str(wait)}
        member = authenticate(email, password)
        if member is None:
            if not known_device:  # a browser that signed in here before has only the per-address limits
                login_throttle.record_failure(key)
            form.form_errors.append(str(BAD_LOGIN))  # a str: Jinja would print a lazy string unescaped

        else:
            login_throttle.clear(key)
            # The known-device cookie is given when the sign-in completes (signin.remember_device), after the
            # second factor too: a password alone must not exempt a browser from this throttle.
            return signin.begin(
                member, method="password", remember=bool(form.remember.data), next_url=request.args.get("next")
            )
    return login_page(form), 200 if request.method == "GET" else 422


def login_page(form: LoginForm, link_form: EmailLinkForm | None = None) -> str:
    """The sign-in page: the password form and, when e-mail links are on, the separate form that asks for one.
    Each form reads only what was sent to its own address, so one never shows the other's input or errors."""
    if link_form is None and current_app.config["EMAIL_LOGIN"]:
        link_form = EmailLinkForm(formdata=None)
    return render_template("auth/login.html", form=form, link_form=link_form)


@bp.route("/logout", methods=["POST"])
@access(SIGNED_IN)
def logout():  # noqa: ANN201
    # CSRFProtect has already checked the token of this POST.
    end_session(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are signed out. Take care."), "info")
    return redirect(url_for("main.index"))
