"""The first gate of every request: may this visitor or member reach this endpoint at all?"""

from __future__ import annotations

from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.extensions import login_manager
from app.web import drafts


def register(app: Flask) -> None:
    @app.before_request
    def enforce_route_access():  # noqa: ANN202
        reason = permissions.route_refusal(current_user, request.endpoint)
        if reason is None:
            return None
        if reason == permissions.SIGN_IN:
            return _to_sign_in()
        abort(403, description=reason)


def to_enrolment():  # noqa: ANN201
    """To the second-factor page, saying why: the member's role needs one before its pages open."""
    flash(str(permissions.SECOND_FACTOR_FIRST), "info")
    return redirect(url_for("account.two_factor"))


def _to_sign_in():  # noqa: ANN202
    """To the sign-in page, coming back here afterwards; a composer's text waits for the member meanwhile."""
    form_page = drafts.keep_for_sign_in()
    if form_page is None:
        return login_manager.unauthorized()
    sign_in = url_for("auth.login", next=form_page)
    unsent = drafts.unsent_text()
    if unsent is not None:  # too long to keep for them: shown to copy before signing in
        return render_template("auth/unsent.html", text=unsent, sign_in=sign_in)
    flash(
        _(
            "You were signed out, so what you wrote has not been sent yet. Sign in and it will be waiting for you "
            "in the form."
        ),
        "info",
    )
    return redirect(sign_in)
