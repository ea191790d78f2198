"""Signing in with a link sent by e-mail: valid fifteen minutes, used once.

The link's token is signed (services.members.tokens, its own salt and a 15-minute lifetime) and carries a random
nonce whose hash is stored in `email_login_links`. Using a link deletes that row and every other unused link of the
member, in one statement pair inside one transaction, so a link signs in once even when sent twice at the same
moment. Older links stay usable after a newer one is asked for: mail can arrive late or out of order, and the
members this is for should not find that the first e-mail to arrive "does not work".
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, select

from app import permissions
from app.database.dml import rows_matched
from app.extensions import db
from app.models import EmailLoginLink, Member
from app.models.base import utcnow
from app.services import ServiceError
from app.services.members import account_mail, tokens
from app.services.members.identity import normalize_email

MAX_AGE = tokens.MAX_AGE[tokens.EMAIL_LOGIN]


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def request_link(email: str, next_url: str | None = None) -> None:
    """Mail a sign-in link if the address belongs to an account that may use one. The caller answers the same
    either way. Nothing is sent during the request (the outbox's worker sends it), so a real account costs only
    two more rows and the rendering of the mail (about a millisecond), never the wait for an SMTP server."""
    _forget_expired()
    try:
        email = normalize_email(email)
    except ServiceError:
        db.session.commit()
        return
    member = db.session.scalar(select(Member).where(Member.email == email))
    if member is not None and permissions.can(None, "sign_in_by_email", member):
        nonce = secrets.token_urlsafe(24)
        link = EmailLoginLink(member_id=member.id, nonce_hash=_hash(nonce))
        db.session.add(link)
        db.session.flush()
        account_mail.queue_sign_in_link(
            member, link_token(member, nonce), requested_at=link.created_at, next_url=next_url
        )
    db.session.commit()


def link_token(member: Member, nonce: str) -> str:
    """Bound to the address the link is sent to: once the account's address changes, the link is void."""
    return tokens.make_token(tokens.EMAIL_LOGIN, {"m": member.id, "n": nonce, "e": tokens.fingerprint(member.email)})


def _forget_expired() -> None:
    """Links past their fifteen minutes can never be used: their rows go, whoever asks next."""
    db.session.execute(delete(EmailLoginLink).where(EmailLoginLink.created_at < utcnow() - MAX_AGE))


def member_for_link(token: str) -> Member:
    """The member an unused, unexpired link signs in; ServiceError with a clear message otherwise. Changes nothing."""
    payload = tokens.read_token(tokens.EMAIL_LOGIN, token)
    nonce = payload.get("n")
    member = db.session.get(Member, payload["m"])
    if not isinstance(nonce, str) or member is None or not permissions.can(None, "sign_in_by_email", member):
        raise ServiceError(str(tokens.INVALID))
    if payload.get("e") != tokens.fingerprint(member.email):
        raise ServiceError(str(tokens.INVALID))  # sent to an address the account no longer has
    link = db.session.scalar(
        select(EmailLoginLink).where(EmailLoginLink.nonce_hash == _hash(nonce), EmailLoginLink.member_id == member.id)
    )
    if link is None:
        raise ServiceError(str(tokens.INVALID))  # used already, or spent by using another link
    if link.created_at < utcnow() - MAX_AGE:
        raise ServiceError(str(tokens.EXPIRED))
    return member


def use_link(token: str) -> Member:
    """Spend the link (and the member's other unused links) and return whom it signs in.

    Following it proves the member reads mail at the address, so a pending confirmation is settled too."""
    member = member_for_link(token)
    nonce = tokens.read_token(tokens.EMAIL_LOGIN, token)["n"]
    # Claimed by deleting its row: of two simultaneous uses, only the one whose DELETE matched goes on.
    if rows_matched(delete(EmailLoginLink).where(EmailLoginLink.nonce_hash == _hash(nonce))) != 1:
        db.session.rollback()
        raise ServiceError(str(tokens.INVALID))
    db.session.execute(delete(EmailLoginLink).where(EmailLoginLink.member_id == member.id))
    member.email_verified_at = member.email_verified_at or utcnow()
    db.session.commit()
    return member
