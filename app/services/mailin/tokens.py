"""Signed Reply-To addresses: each names one member and one topic or conversation, and expires.

The token is the only secret in the address; it is never logged. An expired token still tells us (its signature
being genuine) whom to answer politely."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

REPLY_SALT = "kindred.mail-reply"
REPLY_MAX_AGE = 30 * 24 * 3600  # seconds: a notification can be answered for about a month
PLACEHOLDER = "{token}"
TOKEN_CHARACTERS = r"[A-Za-z0-9_.\-]{10,400}"  # noqa: S105 - a pattern, not a secret


@dataclass(frozen=True)
class ReplyTarget:
    """Who may answer, and where the answer goes: a topic (`kind` "t") or a conversation ("c")."""

    member_id: int
    kind: str
    target_id: int
    expired: bool = False


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=REPLY_SALT)


def reply_address(member_id: int, kind: str, target_id: int) -> str | None:
    """The Reply-To address for this member and place, or None when replies by e-mail are off."""
    pattern = current_app.config.get("MAIL_REPLY_ADDRESS") or ""
    if PLACEHOLDER not in pattern:
        return None
    token = str(_serializer().dumps({"m": member_id, kind: target_id}))
    return pattern.replace(PLACEHOLDER, token)


def _address_pattern() -> re.Pattern[str] | None:
    pattern = current_app.config.get("MAIL_REPLY_ADDRESS") or ""
    if PLACEHOLDER not in pattern:
        return None
    before, after = pattern.split(PLACEHOLDER, 1)
    # Mail servers may change the case of the fixed parts, never of the token.
    return re.compile(f"(?i:{re.escape(before)})(?P<token>{TOKEN_CHARACTERS})(?i:{re.escape(after)})")


def find_token(addresses: list[str]) -> str | None:
    """The token in the first of `addresses` that is one of our reply addresses."""
    pattern = _address_pattern()
    for address in addresses if pattern else []:
        match = pattern.fullmatch(address.strip().strip("<>")) if pattern else None
        if match:
            return match.group("token")
    return None


def _target(data: object, expired: bool) -> ReplyTarget | None:
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return None
    for kind in ("t", "c"):
        if isinstance(data.get(kind), int):
            return ReplyTarget(data["m"], kind, data[kind], expired)
    return None


def read_token(token: str) -> ReplyTarget | None:
    """What a genuine token names (`expired` set when it is too old); None for a forged or damaged one."""
    serializer = _serializer()
    try:
        return _target(serializer.loads(token, max_age=REPLY_MAX_AGE), expired=False)
    except SignatureExpired as error:  # genuine but old: its payload can be trusted to name the member
        try:
            return _target(serializer.load_payload(error.payload), expired=True) if error.payload else None
        except BadSignature:
            return None
    except BadSignature:
        return None
