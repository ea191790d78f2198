"""Which accounts have signed in in this browser before, so a sign-in anywhere else can be told to the member.

A cookie of our own rather than the login throttle's known-device cookie: that one is sent to the login form
only (not to sign-up, the second step or the identity provider's return), remembers one account, and is keyed by
the e-mail address (a change of address would make every browser new). This one holds a short keyed hash per
account, so it names nobody to whoever reads it; a browser that carries the throttle's cookie for the account
counts as seen too, so browsers that signed in before this cookie existed are not reported as new.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import after_this_request, current_app, request
from werkzeug.wrappers import Response

from app.models import Member
from app.services.members import login_throttle

SEEN_COOKIE = "kindred_seen"
MAX_ACCOUNTS = 8  # a family computer, a library's: the most recent accounts are kept
TAG_LENGTH = 16


def _tag(member: Member) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"kindred.seen-browser:{member.id}".encode(), hashlib.sha256).hexdigest()[:TAG_LENGTH]


def _tags() -> list[str]:
    raw = request.cookies.get(SEEN_COOKIE, "")[: MAX_ACCOUNTS * (TAG_LENGTH + 1)]
    return [tag for tag in raw.split(".") if len(tag) == TAG_LENGTH][:MAX_ACCOUNTS]


def is_seen(member: Member) -> bool:
    """True when this browser has signed in to this account before."""
    if _tag(member) in _tags():
        return True
    device = request.cookies.get(login_throttle.DEVICE_COOKIE)
    return login_throttle.is_known_device(device, login_throttle.account_key(member.email))


def remember(member: Member) -> None:
    """Mark this browser as one the account has signed in in, on the response to this request."""
    tags = [_tag(member), *(t for t in _tags() if t != _tag(member))][:MAX_ACCOUNTS]

    @after_this_request
    def _set_cookie(response: Response) -> Response:
        response.set_cookie(
            SEEN_COOKIE,
            ".".join(tags),
            max_age=int(login_throttle.DEVICE_COOKIE_AGE.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response
