"""WebAuthn challenges: random, bound to this browser's session, answered at most once and within five minutes.

The challenge travels in the session (so only the browser that asked can answer); its digest waits in the
database, and answering deletes it, so a copied session cookie or a second request at the same moment finds
nothing left to answer."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import session
from sqlalchemy import delete
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from app.database.dml import rows_matched
from app.extensions import db
from app.models import PasskeyChallenge
from app.models.base import utcnow

CHALLENGE_LIFETIME = timedelta(minutes=5)
PURPOSES = ("register", "sign_in", "second_factor")


def _key(purpose: str) -> str:
    return f"passkey_challenge_{purpose}"


def _digest(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def issue(purpose: str, member_id: int | None) -> bytes:
    """A new challenge for this browser and purpose; an earlier unanswered one of the same purpose is void."""
    assert purpose in PURPOSES
    now = utcnow()
    db.session.execute(delete(PasskeyChallenge).where(PasskeyChallenge.expires_at <= now))
    challenge = secrets.token_bytes(32)
    db.session.add(
        PasskeyChallenge(
            digest=_digest(challenge), purpose=purpose, member_id=member_id, expires_at=now + CHALLENGE_LIFETIME
        )
    )
    db.session.commit()
    session[_key(purpose)] = bytes_to_base64url(challenge)
    return challenge


def consume(purpose: str, member_id: int | None) -> bytes | None:
    """The challenge this browser was given for `purpose`, used up now; None when there is none, it expired, it
    was for someone else, or it was answered already."""
    encoded = session.pop(_key(purpose), None)
    if not isinstance(encoded, str):
        return None
    try:
        challenge = base64url_to_bytes(encoded)
    except ValueError:
        return None
    matched = rows_matched(
        delete(PasskeyChallenge).where(
            PasskeyChallenge.digest == _digest(challenge),
            PasskeyChallenge.purpose == purpose,
            PasskeyChallenge.member_id.is_(None) if member_id is None else PasskeyChallenge.member_id == member_id,
            PasskeyChallenge.expires_at > utcnow(),
        )
    )
    db.session.commit()
    return challenge if matched == 1 else None
