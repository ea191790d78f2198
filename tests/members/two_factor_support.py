"""Helpers for the two-factor tests: real codes computed with pyotp, away from the edge of a 30-second step."""

from __future__ import annotations

import time

import pyotp

from app.extensions import db
from app.models import Member
from app.models.two_factor import TotpSecret
from app.services.members import two_factor


def steady() -> None:
    """Wait while the current step is about to end, so a code computed now is still current when checked."""
    while time.time() % 30 > 27:
        time.sleep(0.25)


def secret_of(member: Member) -> str:
    db.session.expire_all()
    row = db.session.get(TotpSecret, member.id)
    assert row is not None
    return row.secret


def code_now(member: Member) -> str:
    steady()
    return pyotp.TOTP(secret_of(member)).now()


def code_at_offset(member: Member, steps: int) -> str:
    """The code of the step `steps` away from now (within the accepted window of one either side)."""
    steady()
    return pyotp.TOTP(secret_of(member)).at(time.time(), counter_offset=steps)


def enrol(member: Member) -> list[str]:
    """Turn two-factor on through the service, with the previous step's code, so the current one stays unused."""
    two_factor.start_enrolment(member)
    return two_factor.confirm_enrolment(member, code_at_offset(member, -1))
