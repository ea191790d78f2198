"""Per-account sign-in throttling, on top of the per-address limits on the login route (SECURITY.md #4).

From the 5th failed sign-in for one e-mail address (each within 15 minutes of the previous one), that address
is refused for a while without its password being checked: 30 seconds, then twice as long after each further
failure, capped at 15 minutes. It recovers by itself: the refusal simply lapses, a successful sign-in forgets the
failures, and so does a quiet quarter of an hour after the last failure or refusal.

Why an attacker cannot use this to keep a member out: (1) the cap keeps any refusal to 15 minutes; (2) a browser
that has signed in to this account before carries a signed "known device" cookie and is never refused by this
throttle (only the per-address limits apply to it), so a member on their usual phone or computer is not locked
out at all, however many failures strangers cause. The cookie can only be earned by signing in with the password.
Unknown addresses are throttled exactly like real ones, so a refusal tells nothing about who has an account.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import LoginThrottle
from app.models.base import utcnow
from app.services import ServiceError
from app.services.members.identity import normalize_email

FREE_FAILURES = 4  # the 5th failure in a row starts the delays
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(minutes=15)  # a quiet quarter of an hour since the last failure starts a new count
DEVICE_COOKIE = "kindred_device"
DEVICE_COOKIE_AGE = timedelta(days=365)


def account_key(email: str) -> str:
    """The throttle's key for an address: a hash, so addresses of non-members are never stored."""
    try:
        email = normalize_email(email)
    except ServiceError:
        email = (email or "").strip().lower()
    return hashlib.sha256(email.encode()).hexdigest()


def second_factor_key(member_id: int) -> str:
    """The throttle's key for wrong second-factor codes: the member's own, apart from their address's."""
    return hashlib.sha256(f"second-factor:{member_id}".encode()).hexdigest()


def delay_after(failures: int) -> timedelta | None:
    """How long an address is refused after this many failures in a row (None while under the threshold)."""
    if failures <= FREE_FAILURES:
        return None
    return min(FIRST_DELAY * 2 ** min(failures - FREE_FAILURES - 1, 16), MAX_DELAY)


def retry_after(key: str, now: datetime | None = None) -> int:
    """Seconds until this address may try again; 0 when it may try now."""
    row = db.session.get(LoginThrottle, key)
    now = now or utcnow()
    if row is None or row.locked_until is None or row.locked_until <= now:
        return 0
    return math.ceil((row.locked_until - now).total_seconds())


def record_failure(key: str) -> None:
    """Count a failed sign-in for this address and start (or lengthen) its refusal when due."""
    now = utcnow()
    row = db.session.get(LoginThrottle, key)
    if row is None:
        db.session.add(LoginThrottle(account_key=key, failures=1, last_failure_at=now))
        try:
            db.session.commit()
        except IntegrityError:  # a simultaneous failure created the row first: count on it
            db.session.rollback()
            record_failure(key)
        return
    if now - (row.locked_until or row.last_failure_at) > FORGET_AFTER:  # quiet since the last failure or refusal
        row.failures = 1
    else:  # relative, so simultaneous failures are all counted
        db.session.execute(
            update(LoginThrottle).where(LoginThrottle.account_key == key).values(failures=LoginThrottle.failures + 1)
        )
        db.session.refresh(row)
    delay = delay_after(row.failures)
    row.last_failure_at = now
    row.locked_until = now + delay if delay else None
    db.session.commit()


def clear(key: str) -> None:
    """A successful sign-in forgets the failures."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.account_key == key))
    db.session.commit()


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="kindred.login-device")


def device_cookie(key: str) -> str:
    """The signed value remembering that this browser signed in to this account."""
    return str(_devices().dumps(key))


def is_known_device(cookie: str | None, key: str) -> bool:
    """True when the browser's cookie was given at a successful sign-in to this same account."""
    if not cookie or len(cookie) > 300:
        return False
    try:
        return _devices().loads(cookie, max_age=int(DEVICE_COOKIE_AGE.total_seconds())) == key
    except BadSignature:
        return False
