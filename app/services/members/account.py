"""Account security: confirming the address, resetting and changing the password, changing the address.

Every function validates, writes and commits (with the e-mail it causes, through the outbox). Links are
single-use because each token is bound to the state it changes (services.tokens).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import LoginSession, Member, MemberStatus
from app.models.base import utcnow
from app.services import ServiceError
from app.services.members import account_mail, tokens
from app.services.members.accounts import EMAIL_TAKEN
from app.services.members.identity import check_password, normalize_email
from app.services.members.passwords import hash_password, verify
from app.services.members.sessions import delete_other_sessions
from app.text.lazy import lazy_text as _l

ALREADY_VERIFIED = _l("Your e-mail address is already confirmed. Thank you!")
WRONG_PASSWORD = _l("That is not your current password.")  # noqa: S105


def _member_for(payload: dict) -> Member:
    member = db.session.get(Member, payload["m"])
    # An erased account has no address and no password left to act on.
    if member is None or member.status == MemberStatus.DELETED:
        raise ServiceError(str(tokens.INVALID))
    return member


def resend_verification(member: Member) -> None:
    """Send the confirmation link again (the view rate-limits this)."""
    if member.email_verified_at is not None:
        raise ServiceError(str(ALREADY_VERIFIED))
    account_mail.queue_verification_mail(member)
    db.session.commit()


def verify_email(token: str) -> Member:
    """Confirm the member's address from the link we mailed; a used, expired or altered link changes nothing."""
    payload = tokens.read_token(tokens.VERIFY_EMAIL, token)
    member = _member_for(payload)
    if payload.get("e") != tokens.fingerprint(member.email):
        raise ServiceError(str(tokens.INVALID))  # sent to an address the account no longer has
    if member.email_verified_at is not None:
        raise ServiceError(str(ALREADY_VERIFIED))
    member.email_verified_at = utcnow()
    db.session.commit()
    return member


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address belongs to an account. The caller answers the same either way."""
    try:
        email = normalize_email(email)
    except ServiceError:
        return
    member = db.session.scalar(select(Member).where(Member.email == email))
    if member is None or member.status == MemberStatus.DELETED:
        return
    account_mail.queue_password_reset_mail(member)
    db.session.commit()


def member_for_reset(token: str) -> Member:
    """The member a reset link is for, while it is unused and unexpired; ServiceError otherwise."""
    payload = tokens.read_token(tokens.PASSWORD_RESET, token)
    member = _member_for(payload)
    if payload.get("p") != tokens.fingerprint(member.password_hash):
        raise ServiceError(str(tokens.INVALID))  # the password changed since: the link is spent
    return member


def reset_password(token: str, new_password: str) -> Member:
    """Set a new password from a reset link and sign the account out everywhere."""
    member = member_for_reset(token)
    check_password(new_password, email=member.email, display_name=member.display_name)
    member.password_hash = hash_password(new_password)
    # Following the link proved the member reads mail at this address.
    member.email_verified_at = member.email_verified_at or utcnow()
    db.session.execute(delete(LoginSession).where(LoginSession.member_id == member.id))
    account_mail.queue_password_changed_notice(member)
    db.session.commit()
    return member


def change_password(member: Member, current_password: str, new_password: str) -> int:
    """Change the password, keeping this browser signed in and signing out every other; returns how many ended."""
    if not verify(member.password_hash, current_password):
        raise ServiceError(str(WRONG_PASSWORD), "current_password")
    if current_password == new_password:
        raise ServiceError(_("Choose a password different from your current one."), "password")
    check_password(new_password, email=member.email, display_name=member.display_name)
    member.password_hash = hash_password(new_password)
    ended = delete_other_sessions(member)
    account_mail.queue_password_changed_notice(member)
    db.session.commit()
    return ended


def request_email_change(member: Member, current_password: str, new_email: str) -> str:
    """Mail a confirmation link to the new address and a notice to the old one; returns the new address."""
    if not verify(member.password_hash, current_password):
        raise ServiceError(str(WRONG_PASSWORD), "current_password")
    new_email = normalize_email(new_email)
    if new_email == member.email:
        raise ServiceError(_("That is already your e-mail address."), "email")
    if db.session.scalar(select(Member.id).where(Member.email == new_email)) is not None:
        raise ServiceError(str(EMAIL_TAKEN), "email")
    member.pending_email = new_email
    account_mail.queue_email_change_mails(member, new_email)
    db.session.commit()
    return new_email


def confirm_email_change(token: str) -> Member:
    """Switch to the new address from the link sent there; spent once used, void if the account changed since."""
    payload = tokens.read_token(tokens.CHANGE_EMAIL, token)
    member = _member_for(payload)
    pending = member.pending_email
    if pending is None or payload.get("e") != tokens.fingerprint(pending):
        raise ServiceError(str(tokens.INVALID))
    if payload.get("o") != tokens.fingerprint(member.email):
        raise ServiceError(str(tokens.INVALID))
    if db.session.scalar(select(Member.id).where(Member.email == pending)) is not None:
        raise ServiceError(str(EMAIL_TAKEN))  # someone signed up with it meanwhile
    member.email, member.pending_email, member.email_verified_at = pending, None, utcnow()
    try:
        db.session.commit()
    except IntegrityError as exc:  # taken at the same moment by a sign-up
        db.session.rollback()
        raise ServiceError(str(EMAIL_TAKEN)) from exc
    return member
