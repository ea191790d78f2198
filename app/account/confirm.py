"""/account/confirm: the member proves who they are again before a sensitive action (app/web/reauth.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.account import bp
from app.account.forms import ConfirmCodeForm, ConfirmPasswordForm
from app.account.limits import member_key
from app.extensions import limiter
from app.permissions import SIGNED_IN, access
from app.services import ServiceError
from app.services.members import confirmation
from app.web.forms import apply_service_error
from app.web.reauth import INTERRUPTED_KEY
from app.web.redirects import safe_next


def _wait_sentence(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return ngettext(
        "Too many wrong passwords. Please wait %(num)d minute and try again.",
        "Too many wrong passwords. Please wait %(num)d minutes and try again.",
        minutes,
    )


def _page(  # noqa: ANN202
    form: ConfirmPasswordForm | ConfirmCodeForm,
    next_url: str | None,
    status: int,
    headers: dict | None = None,
    *,
    template: str = "account/confirm.html",
):
    me = current_user._get_current_object()
    page = render_template(
        template,
        form=form,
        next_url=next_url,
        methods=confirmation.methods_for(me),
        interrupted=bool(session.get(INTERRUPTED_KEY)),
    )
    return page, status, headers or {}


@bp.route("/account/confirm", methods=["GET", "POST"])
@access(SIGNED_IN)
@limiter.limit("6 per minute; 30 per hour", key_func=member_key, methods=["POST"])
def confirm():  # noqa: ANN201
    me = current_user._get_current_object()
    next_url = safe_next(request.args.get("next"))
    form = ConfirmPasswordForm()
    if not form.validate_on_submit():
        return _page(form, next_url, 200 if request.method == "GET" else 422)
    wait = confirmation.retry_after(me)
    if wait:  # refused without checking the password
        form.form_errors.append(_wait_sentence(wait))
        return _page(form, next_url, 429, {"Retry-After": str(wait)})
    try:
        confirmation.confirm_with_password(me, form.password.data or "")
    except ServiceError as error:
        apply_service_error(form, error)
        return _page(form, next_url, 422)
    return _confirmed(next_url)


@bp.route("/account/confirm/code", methods=["GET", "POST"])
@access(SIGNED_IN)
@limiter.limit("6 per minute; 30 per hour", key_func=member_key, methods=["POST"])
def confirm_code():  # noqa: ANN201
    """The same confirmation with a code from the authenticator app, for members who prefer it or have no password."""
    me = current_user._get_current_object()
    next_url = safe_next(request.args.get("next"))
    form = ConfirmCodeForm()
    template = "account/confirm_code.html"
    if not confirmation.has_authenticator(me):
        return redirect(url_for("account.confirm", next=next_url))
    if not form.validate_on_submit():
        return _page(form, next_url, 200 if request.method == "GET" else 422, template=template)
    wait = confirmation.retry_after(me)
    if wait:
        form.form_errors.append(_wait_codes_sentence(wait))
        return _page(form, next_url, 429, {"Retry-After": str(wait)}, template=template)
    try:
        confirmation.confirm_with_code(me, form.code.data or "")
    except ServiceError as error:
        apply_service_error(form, error)
        return _page(form, next_url, 422, template=template)
    return _confirmed(next_url)


def _wait_codes_sentence(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return ngettext(
        "Too many wrong codes. Please wait %(num)d minute and try again.",
        "Too many wrong codes. Please wait %(num)d minutes and try again.",
        minutes,
    )


def _confirmed(next_url: str | None):  # noqa: ANN202
    if session.pop(INTERRUPTED_KEY, False):
        flash(_("Thank you. For your safety, what you sent before was not saved: please send the form again."), "info")
    else:
        flash(_("Thank you, that is confirmed."), "success")
    return redirect(next_url or url_for("account.index"))
