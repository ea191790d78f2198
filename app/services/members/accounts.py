"""Creating members, checking their passwords and managing their signed-in sessions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import LoginSession, Member, Role
from app.models.base import utcnow
from app.services import Checks, ServiceError
from app.services.content.guidelines import current_number
from app.services.members import passwords
from app.services.members.account_mail import queue_verification_mail
from app.services.members.identity import check_password, clean_display_name, display_name_key, normalize_email
from app.text.lazy import lazy_text as _l

SESSION_IDLE_LIMIT = timedelta(days=30)
# Registration and change of e-mail refuse a taken address with the same words.
EMAIL_TAKEN = _l("An account with this e-mail address already exists. Try signing in.")
LAST_SEEN_GRANULARITY = timedelta(minutes=5)


def create_member(
    *,
    email: str,
    display_name: str,
    password: str,
    role: Role = Role.MEMBER,
    accepted_guidelines: bool = False,
    verify_email: bool = False,
) -> Member:
    """Validate and store a new member; raises ServiceError naming the field to fix.

    With `verify_email`, the address starts unconfirmed and the confirmation mail is queued in the same
    transaction; otherwise (operators' commands, or verification switched off) it counts as confirmed."""
    team = role in (Role.MODERATOR, Role.STAFF, Role.ADMIN)
    email, display_name = check_new_member(email=email, display_name=display_name, password=password, team=team)
    key = display_name_key(display_name)
    member = Member(
        email=email,
        display_name=display_name,
        display_name_key=key,
        password_hash=passwords.hash_password(password),
        role=role,
        guidelines_accepted_at=utcnow() if accepted_guidelines else None,
        guidelines_version=current_number() if accepted_guidelines else None,  # the version they read
        email_verified_at=None if verify_email else utcnow(),
    )
    db.session.add(member)
    try:
        if verify_email:
            db.session.flush()  # the link names the member's id
            queue_verification_mail(member)
        db.session.commit()
    except IntegrityError as exc:  # a simultaneous sign-up took the address or name first
        db.session.rollback()
        raise ServiceError(_("That e-mail address or display name was just taken. Please try again.")) from exc
    return member


def check_new_member(*, email: str, display_name: str, password: str, team: bool = False) -> tuple[str, str]:
    """The e-mail address and display name as they would be stored; raises every problem with the three at once.
    `team` (moderators, staff and admins, made by operators) may carry staff words in their names."""
    checks = Checks()
    email = checks.run(lambda: _free_email(normalize_email(email)), "")
    name = checks.run(lambda: _free_display_name(clean_display_name(display_name, team=team)), "")
    checks.run(lambda: check_password(password, email=email, display_name=name or display_name), None)
    checks.settle()
    return email, name


def _free_email(email: str) -> str:
    if db.session.scalar(select(Member.id).where(Member.email == email)) is not None:
        raise ServiceError(str(EMAIL_TAKEN), "email")
    return email


def _free_display_name(name: str) -> str:
    if db.session.scalar(select(Member.id).where(Member.display_name_key == display_name_key(name))) is not None:
        raise ServiceError(_("That display name is taken. Please choose another."), "display_name")
    return name


def authenticate(email: str, password: str) -> Member | None:
    """The member with these credentials, or None; equally slow whether or not the address exists."""
    try:
        email = normalize_email(email)
    except ServiceError:
        email = ""
    member = db.session.scalar(select(Member).where(Member.email == email)) if email else None
    if not passwords.verify(member.password_hash if member else None, password) or member is None:
        return None
    if passwords.needs_rehash(member.password_hash):
        member.password_hash = passwords.hash_password(password)
        db.session.commit()
    return member


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(member: Member, *, browser: str = "other", platform: str = "other") -> LoginSession:
    """Record a new signed-in browser; the returned session carries the raw token for the cookie.

    Signing in is itself a proof of the password (or of what stands for it), so the session starts confirmed."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    login_session = LoginSession(
        token_hash=_token_hash(token), member=member, browser=browser, platform=platform, confirmed_at=now
    )
    db.session.add(login_session)
    member.last_seen_at = now
    db.session.commit()
    login_session.token = token
    member.current_login_session = login_session
    return login_session


def load_session(token: str) -> Member | None:
    """The member signed in with this cookie token, if the session still exists and is fresh."""
    if not token or len(token) > 100:
        return None
    login_session = db.session.scalar(select(LoginSession).where(LoginSession.token_hash == _token_hash(token)))
    if login_session is None:
        return None
    now = utcnow()
    if now - login_session.last_used_at > SESSION_IDLE_LIMIT:
        return None
    member = login_session.member
    login_session.token = token
    member.current_login_session = login_session
    # Write at most every few minutes: a write per page view would serialise readers on SQLite.
    if now - login_session.last_used_at > LAST_SEEN_GRANULARITY:
        login_session.last_used_at = now
        member.last_seen_at = now
        db.session.commit()
    return member


def end_session(member: Member) -> None:
    """Sign out this browser: its cookie, even if copied elsewhere, stops working."""
    if member.current_login_session is not None:
        db.session.execute(delete(LoginSession).where(LoginSession.id == member.current_login_session.id))
        db.session.commit()
