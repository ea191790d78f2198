"""The last steps of signing in, whatever proved who the member is: a password, an e-mail link, a passkey or the
organisation's identity provider. Members with a second factor are asked for it before the session starts."""

from __future__ import annotations

import time

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Member
from app.services.members import browsers
from app.services.members.accounts import start_session
from app.services.members.passkeys import has_passkeys
from app.services.members.sessions import notify_new_browser
from app.web import drafts, seen_browsers
from app.web.redirects import safe_next

PENDING_KEY = "signin_pending"
PENDING_SECONDS = 300  # the second factor must follow the first within five minutes


def needs_second_factor(member: Member) -> bool:
    """Whether this member has enrolled a second factor that sign-in must ask for."""
    return has_passkeys(member)


def begin(member: Member, *, method: str, remember: bool = False, next_url: str | None = None) -> Response:
    """The first factor is proved. Ask for the second when the member has one; otherwise sign them in now.

    `method` names the first factor ("password", "email", "passkey", "oidc"); a passwordless passkey is itself
    both factors, so it never asks again.
    """
    if method != "passkey" and needs_second_factor(member):
        session[PENDING_KEY] = {
            "member": member.id,
            "remember": remember,
            "method": method,
            "next": safe_next(next_url),
            "at": time.time(),
        }
        return redirect(url_for("auth.two_factor"))
    finish(member, remember=remember)
    flash(_("You are signed in."), "success")
    return redirect(safe_next(next_url) or url_for("main.index"))


def pending_member() -> Member | None:
    """The member half-way through signing in in this browser, while their five minutes last."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    return db.session.get(Member, pending.get("member"))


def finish_pending() -> Response:
    """The second factor is proved for `pending_member()`: sign them in and go where they were going."""
    pending = session.get(PENDING_KEY) or {}
    member = pending_member()
    assert member is not None, "finish_pending() without a pending sign-in"
    finish(member, remember=bool(pending.get("remember")))
    flash(_("You are signed in."), "success")
    return redirect(safe_next(pending.get("next")) or url_for("main.index"))


def finish(member: Member, *, remember: bool = False) -> None:
    """Start the signed-in session: nothing from before survives but the text the member was writing.

    A browser the account has not signed in in before is told to the member by e-mail, except at the account's
    very first sign-in (joining, or the first use of an account an operator made)."""
    previous = dict(session)
    session.clear()
    drafts.carry_over(previous)
    first_sign_in = member.last_seen_at is None
    seen = seen_browsers.is_seen(member)
    browser, platform = browsers.describe(request.headers.get("User-Agent"))
    login_session = start_session(member, browser=browser, platform=platform)
    login_user(member, remember=remember)
    if not first_sign_in and not seen:
        notify_new_browser(member, login_session)
    seen_browsers.remember(member)
