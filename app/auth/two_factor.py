"""The second step of signing in, for members who enrolled a second factor."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth import bp, signin
from app.auth.forms import SecondFactorForm
from app.permissions import PUBLIC, access


@bp.route("/login/two-factor", methods=["GET", "POST"])
@access(PUBLIC)
def two_factor():  # noqa: ANN201
    member = signin.pending_member()
    if member is None:
        flash(_("Your sign-in took too long or was not started in this browser. Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        form.code.errors = [*form.code.errors, _("That code is not right. Check your authenticator app and try again.")]
    return render_template("auth/two_factor.html", form=form, member=member), 200 if request.method == "GET" else 422
