"""The second step of signing in, for members who enrolled a second factor."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth import bp, signin
from app.auth.forms import SecondFactorForm
from app.extensions import limiter
from app.models import Member
from app.permissions import PUBLIC, access
from app.services.members import login_throttle
from app.services.members.two_factor import WRONG_CODE, confirmed_secret, record_wrong_code, verify_code

# Per address, like the password step: people behind one hospital network share it.
CODE_ATTEMPTS = "10 per minute; 60 per hour"


def _throttled(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return ngettext(
        "Too many wrong codes for this account. Please wait %(num)d minute and try again.",
        "Too many wrong codes for this account. Please wait %(num)d minutes and try again.",
        minutes,
    )


@bp.route("/login/two-factor", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(CODE_ATTEMPTS, methods=["POST"])
def two_factor():  # noqa: ANN201
    member = signin.pending_member()
    if member is None:
        flash(_("Your sign-in took too long or was not started in this browser. Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        key = login_throttle.second_factor_key(member.id)
        # The member's usual browser is never refused by the throttle, however many codes strangers got wrong.
        device = request.cookies.get(login_throttle.DEVICE_COOKIE)
        known_device = login_throttle.is_known_device(device, login_throttle.account_key(member.email))
        wait = 0 if known_device else login_throttle.retry_after(key)
        if wait:  # refused without looking at the code
            form.code.errors = [*form.code.errors, _throttled(wait)]
            return _page(form, member), 429, {"Retry-After": str(wait)}
        if verify_code(member, form.code.data or ""):
            login_throttle.clear(key)
            return signin.finish_pending()
        record_wrong_code(member)
        form.code.errors = [*form.code.errors, str(WRONG_CODE)]
    return _page(form, member), 200 if request.method == "GET" else 422


def _page(form: SecondFactorForm, member: Member) -> str:
    """The code form for members with an authenticator app; the passkey button (its own include) for the others."""
    has_app = confirmed_secret(member) is not None
    return render_template("auth/two_factor.html", form=form, member=member, has_app=has_app)
