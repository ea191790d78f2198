"""The authenticator-app second factor (RFC 6238 with pyotp) and its recovery codes.

Enrolment keeps a new secret unconfirmed until the member types a first code from it. A code is accepted for
the current 30-second step or one either side (clocks drift), and only for a step later than the last one
accepted: the same code replayed within its window is refused. Recovery codes are ten random 80-bit codes, shown
once and stored as SHA-256 (their entropy makes a slow hash unnecessary); each works once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
from flask import current_app
from sqlalchemy import ColumnElement, delete, or_, select, update

from app import permissions
from app.database.dml import rows_matched
from app.extensions import db
from app.models import Member
from app.models.base import utcnow
from app.models.two_factor import RecoveryCode, TotpSecret
from app.services import Checks, ServiceError
from app.services.common.audit import audit
from app.services.members import account_mail, login_throttle
from app.services.members.passwords import verify
from app.text.lazy import lazy_text as _l

RECOVERY_CODES = 10
WINDOW = 1  # steps either side of now, as pyotp's valid_window=1
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
WRONG_CODE = _l("That code is not right. Check your authenticator app and try again.")
WRONG_PASSWORD = _l("That is not your current password.")  # noqa: S105 - a message, not a password
NOT_ENROLLING = _l("Start setting up two-factor sign-in first.")
ALREADY_ON = _l("Two-factor sign-in is already on for your account.")
NOT_ON = _l("Two-factor sign-in is not on for your account.")
NOT_ON_FOR_THEM = _l("This member has no second factor to reset.")
REASON_NEEDED = _l("Say why you are resetting this member's second factor: it goes into the moderation log.")


def confirmed_secret(member: Member) -> TotpSecret | None:
    """The member's secret once confirmed: what sign-in asks a code of."""
    row = db.session.get(TotpSecret, member.id)
    return row if row is not None and row.confirmed_at is not None else None


def enrolling_secret(member: Member) -> TotpSecret | None:
    """The secret shown while the member sets up their app, before a first code confirms it."""
    row = db.session.get(TotpSecret, member.id)
    return row if row is not None and row.confirmed_at is None else None


def unused_recovery_codes(member: Member) -> int:
    """How many recovery codes the member has left."""
    query = select(RecoveryCode.id).where(RecoveryCode.member_id == member.id, RecoveryCode.used_at.is_(None))
    return len(db.session.scalars(query).all())


def provisioning_uri(member: Member, secret: TotpSecret) -> str:
    """The otpauth:// address the QR code carries: the site's name and the member's e-mail label the entry."""
    return pyotp.TOTP(secret.secret).provisioning_uri(name=member.email, issuer_name=current_app.config["SITE_NAME"])


def start_enrolment(member: Member) -> TotpSecret:
    """A fresh secret for the member's app, kept unconfirmed (replacing an unconfirmed earlier one)."""
    permissions.ensure(member, "manage_two_factor", member)
    if confirmed_secret(member) is not None:
        raise ServiceError(str(ALREADY_ON))
    row = db.session.get(TotpSecret, member.id)
    if row is None:
        row = TotpSecret(member_id=member.id)
        db.session.add(row)
    row.secret, row.created_at, row.last_step = pyotp.random_base32(), utcnow(), None
    db.session.commit()
    return row


def confirm_enrolment(member: Member, code: str) -> list[str]:
    """Turn two-factor on with a first code from the app; returns the recovery codes, to show this once."""
    permissions.ensure(member, "manage_two_factor", member)
    row = enrolling_secret(member)
    if row is None:
        raise ServiceError(str(ALREADY_ON if confirmed_secret(member) else NOT_ENROLLING))
    step = _matching_step(row, code)
    if step is None:
        raise ServiceError(str(WRONG_CODE), "code")
    row.confirmed_at, row.last_step = utcnow(), step
    codes = _new_recovery_codes(member)
    audit(member, "enable_two_factor", member)
    db.session.commit()
    permissions.forget_second_factor(member)
    return codes


def verify_code(member: Member, code: str) -> bool:
    """Sign-in's check: a current authenticator code not used before, or an unused recovery code (then spent)."""
    accepted = _accept(member, code)
    db.session.commit()
    return accepted


def record_wrong_code(member: Member) -> None:
    """A wrong code at sign-in: into the audit log, and counted like a wrong password under the member's own key."""
    audit(member, "two_factor_failed", member)
    db.session.commit()
    login_throttle.record_failure(login_throttle.second_factor_key(member.id))


def regenerate_recovery_codes(member: Member, password: str, code: str) -> list[str]:
    """Ten new recovery codes, the old ones void; asks for the password and a code."""
    _check_password_and_code(member, password, code)
    codes = _new_recovery_codes(member)
    db.session.commit()
    return codes


def disable(member: Member, password: str, code: str) -> None:
    """Turn two-factor off; asks for the password and a code, so a borrowed signed-in browser cannot."""
    _check_password_and_code(member, password, code)
    _remove(member)
    audit(member, "disable_two_factor", member)
    db.session.commit()
    permissions.forget_second_factor(member)


def admin_reset(admin: Member, target: Member, reason: str) -> None:
    """An admin removes a member's second factor (lost phone and codes); logged with the reason, member told."""
    permissions.ensure(admin, "reset_two_factor", target)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(str(REASON_NEEDED), "reason")
    if db.session.get(TotpSecret, target.id) is None:
        raise ServiceError(str(NOT_ON_FOR_THEM))
    _remove(target)
    audit(admin, "reset_two_factor", target, reason=reason)
    account_mail.queue_two_factor_reset_notice(target)
    db.session.commit()
    permissions.forget_second_factor(target)


def _check_password_and_code(member: Member, password: str, code: str) -> None:
    """Both at once, so the form shows every problem; the code is spent only when the password is right too."""
    permissions.ensure(member, "manage_two_factor", member)
    if confirmed_secret(member) is None:
        raise ServiceError(str(NOT_ON))
    checks = Checks()
    password_ok = verify(member.password_hash, password)
    if not password_ok:
        checks.errors.append(ServiceError(str(WRONG_PASSWORD), "password"))
    if not (_accept(member, code) if password_ok else _would_accept(member, code)):
        checks.errors.append(ServiceError(str(WRONG_CODE), "code"))
    checks.settle()


def _normalised(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _matching_step(row: TotpSecret, code: str) -> int | None:
    """The time-step within the window whose code this is, later than the last accepted one; None otherwise."""
    code = _normalised(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(row.secret)
    now = totp.timecode(utcnow())
    found = None
    for step in range(now - WINDOW, now + WINDOW + 1):  # every step compared, in constant time, whichever matches
        if hmac.compare_digest(totp.generate_otp(step), code) and (row.last_step is None or step > row.last_step):
            found = step
    return found


def _hash(code: str) -> str:
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


def _unused(member: Member, code: str) -> tuple[ColumnElement[bool], ...]:
    """WHERE clauses for the member's unused recovery code matching `code`."""
    return RecoveryCode.member_id == member.id, RecoveryCode.code_hash == _hash(code), RecoveryCode.used_at.is_(None)


def _accept(member: Member, code: str) -> bool:
    """Spend the code in the current transaction: claimed by a conditional UPDATE, so two requests cannot both."""
    row = confirmed_secret(member)
    if row is None:
        return False
    step = _matching_step(row, code)
    if step is not None:
        newer = or_(TotpSecret.last_step.is_(None), TotpSecret.last_step < step)
        claim = update(TotpSecret).where(TotpSecret.member_id == member.id, newer).values(last_step=step)
        return rows_matched(claim) == 1
    return rows_matched(update(RecoveryCode).where(*_unused(member, code)).values(used_at=utcnow())) == 1


def _would_accept(member: Member, code: str) -> bool:
    """Whether the code is good, without spending it."""
    row = confirmed_secret(member)
    if row is None:
        return False
    if _matching_step(row, code) is not None:
        return True
    return db.session.scalar(select(RecoveryCode.id).where(*_unused(member, code))) is not None


def _new_recovery_codes(member: Member) -> list[str]:
    """Replace the member's recovery codes with ten new ones; the plain codes are returned, never stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(16)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(member_id=member.id, code_hash=_hash(code)) for code in codes)
    return ["-".join(code[i : i + 4] for i in range(0, 16, 4)) for code in codes]


def _remove(member: Member) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    db.session.execute(delete(TotpSecret).where(TotpSecret.member_id == member.id))
