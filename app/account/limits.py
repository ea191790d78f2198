"""Rate-limit keys for the account pages: per member, and per e-mail address (hashed, never stored as is)."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from app.services import ServiceError
from app.services.members.identity import normalize_email
from app.services.members.tokens import fingerprint


def member_key() -> str:
    """One bucket per signed-in member, whichever address or browser they use."""
    return f"member:{getattr(current_user, 'id', None)}"


def address_key() -> str:
    """One bucket per e-mail address typed into the form, so one inbox cannot be flooded from many addresses."""
    raw = request.form.get("email", "")[:254]
    try:
        email = normalize_email(raw)
    except ServiceError:
        email = raw.strip().lower()
    return f"address:{fingerprint(email)}"
