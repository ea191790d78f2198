"""Signed, expiring links for e-mail: verification, password reset, change of address and signing in.

Each purpose has its own salt, so a token made for one purpose is worthless for another. A token carries the
member's id and a keyed fingerprint of the state it may change (the address, or the password hash): once that
state changes, the same link stops working, which makes every link single-use without storing it.
A sign-in link changes no such state, so it also carries a nonce stored until it is used (services.members.email_login).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta
from typing import Any

from flask import current_app, request, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.services import ServiceError
from app.text.lazy import lazy_text as _l

log = logging.getLogger(__name__)

VERIFY_EMAIL = "verify-email"
PASSWORD_RESET = "password-reset"  # noqa: S105 - a salt name
CHANGE_EMAIL = "change-email"
EMAIL_LOGIN = "email-login"
MAX_AGE = {
    VERIFY_EMAIL: timedelta(days=3),
    PASSWORD_RESET: timedelta(hours=1),
    CHANGE_EMAIL: timedelta(days=1),
    EMAIL_LOGIN: timedelta(minutes=15),
}
EXPIRED = _l("This link has expired. Please ask for a new one.")
INVALID = _l("This link is not valid, or it has already been used. Please ask for a new one.")
TOKEN_MAX = 500  # longer strings are not ours; refuse them before any work


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"kindred.{purpose}")


def fingerprint(value: str) -> str:
    """A short keyed digest: tokens can name a state without revealing it (no address in a link or a log)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:24]


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    """Sign `payload` for one purpose; it expires after MAX_AGE[purpose]."""
    return str(_serializer(purpose).dumps(payload))


def read_token(purpose: str, token: str) -> dict[str, Any]:
    """The payload of a genuine, unexpired token for this purpose, or ServiceError with a clear message."""
    if not token or len(token) > TOKEN_MAX:
        raise ServiceError(str(INVALID))
    try:
        payload = _serializer(purpose).loads(token, max_age=int(MAX_AGE[purpose].total_seconds()))
    except SignatureExpired as exc:
        raise ServiceError(str(EXPIRED)) from exc
    except BadSignature as exc:
        raise ServiceError(str(INVALID)) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("m"), int):
        raise ServiceError(str(INVALID))
    return payload


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail: KINDRED_BASE_URL when set, so a forged Host header never reaches a mail."""
    base = current_app.config.get("BASE_URL") or mail_link_root()
    return base.rstrip("/") + url_for(endpoint, **values)


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def mail_link_root() -> str:
    """Without KINDRED_BASE_URL: the request's own address only when its Host is one we trust, else loopback.

    Anyone can send any Host header; a password-reset link built from it would send a member's valid token to the
    sender's site. Production refuses to start without KINDRED_BASE_URL, so this serves development and tests."""
    allowed = set(current_app.config.get("ALLOWED_HOSTS") or ())
    if current_app.config.get("KINDRED_ENV") in ("development", "testing"):
        allowed.update(LOOPBACK_HOSTS)
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    if host.lower() in allowed:
        return request.url_root
    log.warning("e-mail link for an unlisted Host: set KINDRED_BASE_URL or KINDRED_ALLOWED_HOSTS; using localhost")
    return "http://localhost/"
