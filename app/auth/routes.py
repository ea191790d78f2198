"""Sign up, sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp
from app.auth.forms import LoginForm, RegisterForm
from app.extensions import limiter, login_manager
from app.forms import apply_service_error
from app.services import ServiceError
from app.services.members import authenticate, create_member, end_session, load_session, start_session

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"
login_manager.user_loader(load_session)

BAD_LOGIN = "That e-mail address and password don't match an account."


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: never another host, scheme-relative URL or control character."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(c) < 32 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _sign_in(member, remember: bool = False):  # noqa: ANN001, ANN202
    session.clear()  # nothing from before sign-in survives into the signed-in session
    start_session(member)
    login_user(member, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("5 per hour; 20 per day", methods=["POST"])
def register():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            member = create_member(
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                accepted_guidelines=True,
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            _sign_in(member)
            flash(
                f"Welcome to the community, {member.display_name}! Join a group to start taking part.",
                "success",
            )
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/register.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("6 per minute; 30 per hour", methods=["POST"])
def login():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        member = authenticate(form.email.data, form.password.data)
        if member is None:
            form.form_errors.append(BAD_LOGIN)
        else:
            _sign_in(member, remember=form.remember.data)
            flash("You are signed in.", "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/logout", methods=["POST"])
@login_required
def logout():  # noqa: ANN201
    # CSRFProtect has already checked the token of this POST.
    end_session(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out. Take care.", "info")
    return redirect(url_for("main.index"))
