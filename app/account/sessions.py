"""The member's signed-in browsers (/account/sessions): see them, and sign one or all the others out."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user

from app import permissions
from app.account import bp
from app.account.limits import member_key
from app.extensions import limiter
from app.models import LoginSession
from app.permissions import SIGNED_IN, access
from app.services.members import browsers
from app.services.members import sessions as signed_in
from app.web.forms import EmptyForm


def _me():  # noqa: ANN202
    return current_user._get_current_object()


def _own_session_or_404(session_id: int) -> LoginSession:
    """Another member's session answers as a missing one: which ids exist is nobody else's business."""
    target = signed_in.login_session_or_none(session_id)
    if target is None or not permissions.can(_me(), "end_login_session", target):
        abort(404)
    return target


@bp.route("/account/sessions")
@access(SIGNED_IN)
def sessions():  # noqa: ANN201
    me = _me()
    return render_template(
        "account/sessions.html",
        login_sessions=signed_in.member_sessions(me),
        this_session=me.current_login_session,
        form=EmptyForm(),
        browser_name=browsers.browser_name,
        platform_name=browsers.platform_name,
    )


@bp.route("/account/sessions/<int:session_id>/sign-out", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit("60 per hour", key_func=member_key)
def end_session(session_id: int):  # noqa: ANN201
    target = _own_session_or_404(session_id)
    EmptyForm().validate_on_submit()  # CSRFProtect has already refused a POST without its token
    this_browser = target.id == _me().current_login_session.id
    signed_in.end_login_session(_me(), target)
    if this_browser:
        logout_user()
        session.clear()
        flash(_("You are signed out. Take care."), "info")
        return redirect(url_for("main.index"))
    flash(_("That browser is signed out. Its next page will ask for a sign-in."), "success")
    return redirect(url_for("account.sessions"))


@bp.route("/account/sessions/sign-out-others", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit("60 per hour", key_func=member_key)
def end_other_sessions():  # noqa: ANN201
    ended = signed_in.end_other_sessions(_me())
    if ended:
        message = ngettext(
            "%(num)d other browser is signed out. Only this one stays signed in.",
            "%(num)d other browsers are signed out. Only this one stays signed in.",
            ended,
        )
    else:
        message = _("You were not signed in anywhere else. Only this browser is signed in.")
    flash(message, "success")
    return redirect(url_for("account.sessions"))
