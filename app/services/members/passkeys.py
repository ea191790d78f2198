"""Passkeys and security keys (WebAuthn, with py_webauthn): registering one, and proving a sign-in with one.

Each ceremony has two halves: options for the browser (with a single-use challenge, passkey_challenges) and the
verification of what the authenticator signed (origin and relying party from passkey_party). The member's list,
names and removal are in passkey_list."""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

from flask import session
from flask_babel import gettext as _
from sqlalchemy import select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticationCredential,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    RegistrationCredential,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from app import permissions
from app.extensions import db
from app.models import Member, MemberStatus, Passkey
from app.models.base import utcnow
from app.services import ServiceError
from app.services.members import account_mail, passkey_challenges, passwords
from app.services.members.account import WRONG_PASSWORD
from app.services.members.passkey_list import clean_name, member_passkeys
from app.services.members.passkey_party import expected_origin, rp_id, rp_name

log = logging.getLogger(__name__)

TIMEOUT_MS = 120_000  # two minutes to find the key and touch it; older members may need the time
CREDENTIAL_JSON_MAX = 64 * 1024  # far above any real answer; anything larger is refused before parsing


def not_accepted(error: Exception | None = None) -> str:
    """One refusal for every failed proof: which check failed is for the log (its class only), not for a guesser."""
    if error is not None:
        log.info("passkey answer refused: %s", type(error).__name__)
    return _("That passkey could not be used here. Please try again, or use another way to sign in.")


def expired() -> str:
    return _("That took too long, or the page was opened twice. Please try again.")


def _descriptors(passkeys: list[Passkey]) -> list[PublicKeyCredentialDescriptor]:
    known = {transport.value for transport in AuthenticatorTransport}
    return [
        PublicKeyCredentialDescriptor(
            id=passkey.credential_id,
            transports=[AuthenticatorTransport(t) for t in passkey.transports.split(",") if t in known] or None,
        )
        for passkey in passkeys
    ]


HANDLE_KEY = "passkey_user_handle"


def _user_handle(passkeys: list[Passkey]) -> bytes:
    """The member's random handle, the same for all their passkeys (an authenticator keeps one credential per
    handle); never derived from the member id, which the authenticator would otherwise learn. A member's first
    handle waits in the session between the two halves of the registration."""
    if passkeys:
        return passkeys[0].user_handle
    handle = secrets.token_bytes(32)
    session[HANDLE_KEY] = bytes_to_base64url(handle)
    return handle


def _registered_handle(passkeys: list[Passkey]) -> bytes | None:
    if passkeys:
        return passkeys[0].user_handle
    encoded = session.pop(HANDLE_KEY, None)
    return base64url_to_bytes(encoded) if isinstance(encoded, str) else None


def registration_options(member: Member, password: str) -> str:
    """The options for navigator.credentials.create(), as JSON: a discoverable credential where the device can
    keep one, and never a second credential on a device that already holds one of theirs.

    The password comes first: a passkey opens the account and outlives a password change, so someone who only
    has a signed-in browser (a shared computer, a copied cookie) must not be able to add their own."""
    permissions.ensure(member, "add_passkey", None)
    if not passwords.verify(member.password_hash, password):
        raise ServiceError(str(WRONG_PASSWORD), "current_password")
    passkeys = member_passkeys(member)
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=rp_name(),
        user_id=_user_handle(passkeys),
        user_name=member.display_name,
        user_display_name=member.display_name,
        challenge=passkey_challenges.issue("register", member.id),
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(passkeys),
    )
    return options_to_json(options)


def _parsed(raw: Any, parse: Any) -> Any:
    """The browser's answer as py_webauthn's structure; anything malformed or oversized is a plain refusal."""
    text = raw if isinstance(raw, str) else json.dumps(raw)
    if len(text) > CREDENTIAL_JSON_MAX:
        raise ServiceError(not_accepted())
    try:
        return parse(text)
    except (WebAuthnException, ValueError, TypeError, KeyError, AttributeError) as error:
        raise ServiceError(not_accepted(error)) from error


def register(member: Member, raw_credential: Any, name: str) -> Passkey:
    """Keep the new passkey once its answer checks out against this browser's challenge and this site's origin."""
    permissions.ensure(member, "add_passkey", None)
    name = clean_name(name) or _("Passkey %(number)d", number=len(member_passkeys(member)) + 1)
    challenge = passkey_challenges.consume("register", member.id)
    handle = _registered_handle(member_passkeys(member))
    if challenge is None or handle is None:
        raise ServiceError(expired())
    credential: RegistrationCredential = _parsed(raw_credential, parse_registration_credential_json)
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id(),
            expected_origin=expected_origin(),
        )  # fmt: skip
    except (WebAuthnException, ValueError, TypeError, KeyError) as error:
        raise ServiceError(not_accepted(error)) from error
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == verified.credential_id)) is not None:
        raise ServiceError(_("This passkey is already registered."))
    transports = ",".join(t.value for t in credential.response.transports or [])
    passkey = Passkey(
        member_id=member.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        user_handle=handle,
        transports=transports[:100],
        name=name,
    )
    db.session.add(passkey)
    account_mail.queue_passkey_added_notice(member, name)
    db.session.commit()
    return passkey


def authentication_options(purpose: str, member: Member | None) -> str:
    """The options for navigator.credentials.get(), as JSON. Without a member (sign-in without a password) the
    device offers its discoverable passkeys for this site and must check its owner (PIN, fingerprint); as a second
    factor only the member's own passkeys are asked for."""
    options = generate_authentication_options(
        rp_id=rp_id(),
        challenge=passkey_challenges.issue(purpose, member.id if member else None),
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(member_passkeys(member)) if member else [],
        user_verification=UserVerificationRequirement.PREFERRED if member else UserVerificationRequirement.REQUIRED,
    )
    return options_to_json(options)


def _verify(passkey: Passkey, credential: AuthenticationCredential, challenge: bytes, *, uv: bool) -> None:
    """Check the signature, origin, relying party and counter; note the use."""
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id(),
            expected_origin=expected_origin(), credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count, require_user_verification=uv,
        )  # fmt: skip
    except (WebAuthnException, ValueError, TypeError, KeyError) as error:
        # A counter that did not move may mean a cloned key: refused like any other failed proof.
        raise ServiceError(not_accepted(error)) from error
    passkey.sign_count, passkey.last_used_at = verified.new_sign_count, utcnow()
    db.session.commit()


def _passkey_for(credential: AuthenticationCredential) -> Passkey | None:
    return db.session.scalar(select(Passkey).where(Passkey.credential_id == bytes(credential.raw_id)))


def sign_in_without_password(raw_credential: Any) -> Member:
    """The member whose passwordless passkey signed this browser's challenge with their PIN or fingerprint."""
    challenge = passkey_challenges.consume("sign_in", None)
    if challenge is None:
        raise ServiceError(expired())
    credential: AuthenticationCredential = _parsed(raw_credential, parse_authentication_credential_json)
    passkey = _passkey_for(credential)
    if passkey is None or (credential.response.user_handle not in (None, passkey.user_handle)):
        raise ServiceError(not_accepted())
    member = db.session.get(Member, passkey.member_id)
    if member is None or member.status == MemberStatus.DELETED:
        raise ServiceError(not_accepted())
    if not passkey.passwordless:
        raise ServiceError(
            _(
                "This passkey is set up as a second step after your password. Sign in with your password, or "
                "choose in your account's passkey settings to use it without one."
            )
        )
    _verify(passkey, credential, challenge, uv=True)
    return member


def confirm_second_factor(member: Member, raw_credential: Any) -> Passkey:
    """The member's own passkey signed this browser's challenge: the second step of their sign-in is done."""
    challenge = passkey_challenges.consume("second_factor", member.id)
    if challenge is None:
        raise ServiceError(expired())
    credential: AuthenticationCredential = _parsed(raw_credential, parse_authentication_credential_json)
    passkey = _passkey_for(credential)
    if passkey is None or passkey.member_id != member.id:
        raise ServiceError(not_accepted())
    _verify(passkey, credential, challenge, uv=False)
    return passkey
