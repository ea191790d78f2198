"""A software WebAuthn authenticator for the Flask-client tests: it makes real P-256 keys, real "none" attestations
and real signed assertions, exactly the bytes a browser would post, so the server's checks run in full.

The browser journeys use Chromium's own virtual authenticator instead (tests/browser/test_passkeys_journey.py)."""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from tests.factories import PASSWORD

UP, UV, AT = 0x01, 0x04, 0x40  # authenticator data flags: user present, user verified, attested credential data


@dataclass
class SoftAuthenticator:
    """One credential on one device; `sign_count` goes up with each use unless a test holds it still."""

    origin: str = "http://localhost"
    rp_id: str = "localhost"
    verifies_user: bool = True
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    sign_count: int = 0
    user_handle: bytes | None = None

    def _flags(self, extra: int = 0) -> int:
        return UP | (UV if self.verifies_user else 0) | extra

    def _client_data(self, kind: str, options: dict[str, Any], origin: str | None) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": options["challenge"], "origin": origin or self.origin, "crossOrigin": False}
        ).encode()

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _rp_hash(self, rp_id: str | None) -> bytes:
        return hashlib.sha256((rp_id or self.rp_id).encode()).digest()

    def create(self, options: dict[str, Any], *, origin: str | None = None, rp_id: str | None = None) -> dict:
        """The answer to navigator.credentials.create(options), as static/passkeys.js posts it."""
        self.user_handle = base64url_to_bytes(options["user"]["id"])
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + self._cose_key()
        auth_data = self._rp_hash(rp_id) + bytes([self._flags(AT)]) + struct.pack(">I", self.sign_count) + attested
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": bytes_to_base64url(self.credential_id),
            "rawId": bytes_to_base64url(self.credential_id),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": bytes_to_base64url(self._client_data("webauthn.create", options, origin)),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal"],
            },
        }

    def get(self, options: dict[str, Any], *, origin: str | None = None, count_up: bool = True) -> dict:
        """The answer to navigator.credentials.get(options): a signature over the challenge and this site."""
        if count_up:
            self.sign_count += 1
        auth_data = self._rp_hash(None) + bytes([self._flags()]) + struct.pack(">I", self.sign_count)
        client_data = self._client_data("webauthn.get", options, origin)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": bytes_to_base64url(self.credential_id),
            "rawId": bytes_to_base64url(self.credential_id),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": bytes_to_base64url(self.user_handle) if self.user_handle else None,
            },
        }


def post_json(client, url: str, body: dict | None = None, *, csrf: bool = True):  # noqa: ANN001, ANN201
    """POST a JSON body as static/passkeys.js does, with the page's CSRF token in its header."""
    headers = {"X-CSRFToken": client.csrf_token()} if csrf else {}
    return client.post(url, json=body or {}, headers=headers)


def add_passkey(client, device: SoftAuthenticator, name: str = "My phone", password: str = PASSWORD):  # noqa: ANN001, ANN201
    """Register the device's credential for the signed-in member, through both halves of the ceremony."""
    options = post_json(client, "/account/passkeys/register/options", {"current_password": password}).get_json()
    return post_json(client, "/account/passkeys/register/verify", {"credential": device.create(options), "name": name})


def use_passkey(client, device: SoftAuthenticator, where: str = "/login/passkey", **answer: Any):  # noqa: ANN001, ANN201
    """Answer a sign-in challenge (`where` is /login/passkey or /login/two-factor/passkey) with the device."""
    options = post_json(client, f"{where}/options").get_json()
    return post_json(client, f"{where}/verify", {"credential": device.get(options, **answer)})
