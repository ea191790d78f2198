"""Members who sign in with the organisation's identity provider: found by the provider's id, linked by a verified
address, or created; and the role the provider grants them.

The caller has verified the ID token (signature, issuer, audience, expiry, nonce); `claims` are its contents.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models import Member, MemberIdentity, Role
from app.models.base import utcnow
from app.services import ServiceError, ServiceErrors
from app.services.common.audit import audit
from app.services.members import passwords
from app.services.members.account_mail import queue_verification_mail
from app.services.members.accounts import check_new_member
from app.services.members.identity import DISPLAY_NAME_MAX, NAME_PUNCTUATION, display_name_key, normalize_email
from app.services.members.provider_settings import ROLE_RANK, ProviderSettings, claimed_role

NAME_CLAIMS = ("preferred_username", "name", "given_name")
SUFFIXES = ("", *(f" {number}" for number in range(2, 10)))


@dataclass(frozen=True)
class ProviderSignIn:
    member: Member
    created: bool = False  # a new account, made from the claims
    linked: bool = False  # an existing account, found by its verified address and linked now


def sign_in_from_claims(settings: ProviderSettings, claims: Mapping[str, Any]) -> ProviderSignIn:
    """The member these verified claims belong to, linked or created as needed, with the provider's role applied.

    Raises ServiceError when the claims lead to no account that may be signed in to."""
    try:
        return _sign_in(settings, claims)
    except IntegrityError:  # the same person's first sign-in in two tabs: the other one linked or created first
        db.session.rollback()
        return _sign_in(settings, claims)


def _sign_in(settings: ProviderSettings, claims: Mapping[str, Any]) -> ProviderSignIn:
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    identity = db.session.scalar(
        select(MemberIdentity).where(MemberIdentity.issuer == issuer, MemberIdentity.subject == subject)
    )
    outcome: ProviderSignIn
    if identity is not None:
        member = db.session.get(Member, identity.member_id)
        assert member is not None  # the foreign key cascades
        outcome = ProviderSignIn(member)
    else:
        email, verified = _email_claim(claims)
        existing = _account_with(email) if verified else None
        outcome = (
            ProviderSignIn(existing, linked=True) if existing else ProviderSignIn(_new_member(claims), created=True)
        )
        identity = MemberIdentity(member_id=outcome.member.id, issuer=issuer, subject=subject)
        db.session.add(identity)
        if verified and outcome.member.email_verified_at is None:
            outcome.member.email_verified_at = utcnow()  # the provider vouches for the address
    reason = permissions.why_not(None, "sign_in_with_provider", outcome.member)
    if reason is not None:
        db.session.rollback()
        raise ServiceError(str(reason))
    identity.last_used_at = utcnow()
    if settings.role_claim:
        _apply_role(outcome.member, identity, claimed_role(settings, claims))
    db.session.commit()
    return outcome


def _email_claim(claims: Mapping[str, Any]) -> tuple[str, bool]:
    """The address the provider gave, and whether it says it checked it (some providers send "true" as a string)."""
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        return "", False
    verified = claims.get("email_verified")
    return email.strip(), verified is True or verified == "true"


def _account_with(email: str) -> Member | None:
    try:
        address = normalize_email(email)
    except ServiceError:
        return None
    return db.session.scalar(select(Member).where(Member.email == address))


def _new_member(claims: Mapping[str, Any]) -> Member:
    """An account from the claims, checked by the same rules as sign-up, with no usable password: the member
    signs in through the provider, or sets a password with "Forgot your password?"."""
    email, verified = _email_claim(claims)
    if not email:
        raise ServiceError(
            _("Your organisation's sign-in did not share an e-mail address, so we cannot make you an account.")
        )
    name = _free_name(email, claims)
    member = Member(
        email=normalize_email(email),
        display_name=name,
        display_name_key=display_name_key(name),
        password_hash=passwords.UNUSABLE_HASH,
        role=Role.MEMBER,
        # Nothing was accepted yet: the guidelines are asked for before the first post (and shown after sign-in).
        guidelines_outdated=True,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(member)
    db.session.flush()
    if not verified and current_app.config["VERIFY_EMAIL"]:
        queue_verification_mail(member)  # as after sign-up: the link lets them confirm the address themselves
    return member


def _free_name(email: str, claims: Mapping[str, Any]) -> str:
    """The first display name from the claims that sign-up's rules accept and nobody has, with a number if needed."""
    throwaway = secrets.token_urlsafe(24)  # check_new_member also checks a password; this one always passes
    for base in [*_name_bases(claims), _("Member")]:
        for suffix in SUFFIXES:
            try:
                return check_new_member(email=email, display_name=base + suffix, password=throwaway)[1]
            except ServiceError as error:
                problems = error.errors if isinstance(error, ServiceErrors) else (error,)
                if any(problem.field != "display_name" for problem in problems):
                    raise _address_problem(email) from error
    numbered = _("Member %(number)d", number=secrets.randbelow(10**6))
    return check_new_member(email=email, display_name=numbered, password=throwaway)[1]


def _address_problem(email: str) -> ServiceError:
    if _account_with(email) is not None:
        return ServiceError(
            _(
                "An account here already uses the e-mail address your organisation gave, but your organisation has "
                "not confirmed that address, so we did not link them. Sign in with your password instead."
            )
        )
    return ServiceError(_("Your organisation's sign-in shared an e-mail address we cannot use."))


def _name_bases(claims: Mapping[str, Any]) -> list[str]:
    """Names from the claims, tidied to the characters display names allow, short enough for a number after them."""
    bases = []
    for claim in NAME_CLAIMS:
        value = claims.get(claim)
        if not isinstance(value, str):
            continue
        value = value.partition("@")[0]  # a user name may be an address
        kept = "".join(c if _name_char(c) else " " for c in unicodedata.normalize("NFKC", value))
        tidy = " ".join(kept.split())[: DISPLAY_NAME_MAX - 2].strip()
        if tidy and tidy not in bases:
            bases.append(tidy)
    return bases


def _name_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN" or char in NAME_PUNCTUATION


def _apply_role(member: Member, identity: MemberIdentity, claimed: Role | None) -> None:
    """Grant the claimed role when it is above the member's; take a granted role back when the claim stops granting
    it. A role changed by hand in Kindred since the grant is Kindred's decision and is kept."""
    before = member.role
    if identity.granted_role is not None and member.role != identity.granted_role:
        identity.granted_role = identity.role_before_grant = None  # changed by hand since: no longer the provider's
    if identity.granted_role is not None:
        floor = identity.role_before_grant or Role.MEMBER
        if claimed is None or ROLE_RANK[claimed] <= ROLE_RANK[floor]:
            member.role, identity.granted_role, identity.role_before_grant = floor, None, None
        else:
            member.role = identity.granted_role = claimed
    elif claimed is not None and ROLE_RANK[claimed] > ROLE_RANK[member.role]:
        identity.role_before_grant, identity.granted_role, member.role = member.role, claimed, claimed
    if member.role != before:
        audit(None, "provider_role", member, before={"role": before.value}, after={"role": member.role.value})


def identities_of(member: Member) -> list[MemberIdentity]:
    """The provider identities linked to the member's account, oldest first (shown on the account page)."""
    query = select(MemberIdentity).where(MemberIdentity.member_id == member.id).order_by(MemberIdentity.id)
    return list(db.session.scalars(query))
