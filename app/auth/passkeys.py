"""Signing in with a passkey (static/passkeys.js): without a password, from the sign-in page, for members who chose
that; or as the second step after the password, from the two-factor page."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _

from app import permissions
from app.auth import bp, signin
from app.extensions import limiter
from app.models import Member
from app.permissions import PUBLIC, access
from app.services import ServiceError
from app.services.members import passkeys
from app.web import passkey_json

# The sign-in pages' limits are per address: nobody is signed in yet to count by.


@bp.app_template_global("has_passkeys")
def _has_passkeys(member: Member | None) -> bool:
    """For the two-factor page: offer the passkey button only to members who have one."""
    return member is not None and permissions.has_passkey(member)


@bp.route("/login/passkey/options", methods=["POST"])
@access(PUBLIC)
@limiter.limit(passkey_json.PASSKEY_LIMIT, on_breach=passkey_json.limited)
def passkey_options():  # noqa: ANN201
    return passkey_json.options(passkeys.authentication_options("sign_in", None))


@bp.route("/login/passkey/verify", methods=["POST"])
@access(PUBLIC)
@limiter.limit(passkey_json.PASSKEY_LIMIT, on_breach=passkey_json.limited)
def passkey_sign_in():  # noqa: ANN201
    body = passkey_json.posted()
    try:
        member = passkeys.sign_in_without_password(body.get("credential"))
    except ServiceError as error:
        return passkey_json.refused(error.message)
    response = signin.begin(
        member, method="passkey", remember=body.get("remember") is True, next_url=request.args.get("next")
    )
    return passkey_json.go_to(response.location)


def _no_pending():  # noqa: ANN202
    return passkey_json.refused(
        _("Your sign-in took too long or was not started in this browser. Please sign in again."), 409
    )


@bp.route("/login/two-factor/passkey/options", methods=["POST"])
@access(PUBLIC)
@limiter.limit(passkey_json.PASSKEY_LIMIT, on_breach=passkey_json.limited)
def two_factor_passkey_options():  # noqa: ANN201
    member = signin.pending_member()
    if member is None:
        return _no_pending()
    return passkey_json.options(passkeys.authentication_options("second_factor", member))


@bp.route("/login/two-factor/passkey/verify", methods=["POST"])
@access(PUBLIC)
@limiter.limit(passkey_json.PASSKEY_LIMIT, on_breach=passkey_json.limited)
def two_factor_passkey():  # noqa: ANN201
    member = signin.pending_member()
    if member is None:
        return _no_pending()
    try:
        passkeys.confirm_second_factor(member, passkey_json.posted().get("credential"))
    except ServiceError as error:
        return passkey_json.refused(error.message)
    return passkey_json.go_to(signin.finish_pending().location or url_for("main.index"))
