"""Password hashing with argon2, at the cost the configuration sets (the test suite's is minimal; see config.py)."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# Stored for accounts without a password (made through the organisation's sign-in): not an argon2 hash, so every
# password check fails until the member sets one with a reset link.
UNUSABLE_HASH = "!"  # noqa: S105 - not a password


@cache
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verifying against this keeps "unknown e-mail" as slow as "wrong password", so timing reveals nothing."""
    return hasher.hash(secrets.token_urlsafe(16))


def hasher() -> PasswordHasher:
    """The app's hasher, built from ARGON2_TIME_COST, ARGON2_MEMORY_COST (KiB) and ARGON2_PARALLELISM."""
    config = current_app.config
    return _hasher(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"])


def hash_password(password: str) -> str:
    """The stored form of a new password; the caller has checked it with identity.check_password."""
    return hasher().hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """Does the password match? With no stored hash (no such account) it costs the same and answers False."""
    argon2 = hasher()
    try:
        return argon2.verify(stored_hash or _dummy_hash(argon2), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Was this hash made at another cost than the configured one (stronger settings, or an older default)?"""
    return hasher().check_needs_rehash(stored_hash)
