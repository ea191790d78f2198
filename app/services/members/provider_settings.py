"""The settings of sign-in with the organisation's OpenID Connect provider, read and checked once at start."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from app.models import Role

# Roles in order of what they may do: when several claim values map to roles, the highest wins.
ROLE_RANK = {role: rank for rank, role in enumerate((Role.MEMBER, Role.MENTOR, Role.MODERATOR, Role.STAFF, Role.ADMIN))}


@dataclass(frozen=True)
class ProviderSettings:
    issuer: str
    client_id: str
    client_secret: str
    name: str
    role_claim: str = ""
    role_map: Mapping[str, Role] = field(default_factory=dict)
    timeout: int = 10

    @property
    def metadata_url(self) -> str:
        """Where the provider publishes its endpoints and keys (OpenID Connect Discovery)."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def parse_role_map(text: str) -> dict[str, Role]:
    """`kindred-moderators=moderator,kindred-staff=staff` as a mapping; raises RuntimeError saying what is wrong."""
    roles: dict[str, Role] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        value, equals, role = (piece.strip() for piece in entry.rpartition("="))
        if not equals or not value or not role:
            raise RuntimeError(
                f"OIDC_ROLE_MAP entry {entry!r} is not claim-value=role, "
                "for example: OIDC_ROLE_MAP=kindred-moderators=moderator,kindred-staff=staff"
            )
        if role not in {r.value for r in Role}:
            known = ", ".join(r.value for r in Role)
            raise RuntimeError(f"OIDC_ROLE_MAP names the unknown role {role!r}; roles are: {known}.")
        roles[value] = Role(role)
    return roles


def provider_settings(config: Mapping[str, Any]) -> ProviderSettings | None:
    """The provider's settings, or None when sign-in with a provider is off (issuer or client id unset)."""
    issuer, client_id = config.get("OIDC_ISSUER", ""), config.get("OIDC_CLIENT_ID", "")
    if not issuer and not client_id:
        if config.get("OIDC_ROLE_MAP") or config.get("OIDC_ROLE_CLAIM"):
            raise RuntimeError("OIDC_ROLE_MAP and OIDC_ROLE_CLAIM need OIDC_ISSUER and OIDC_CLIENT_ID.")
        return None
    if not issuer or not client_id:
        raise RuntimeError("Set both OIDC_ISSUER and OIDC_CLIENT_ID to sign in with a provider, or neither.")
    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise RuntimeError(f"OIDC_ISSUER {issuer!r} is not the provider's https:// address.")
    if parts.scheme != "https" and config.get("KINDRED_ENV") == "production":
        raise RuntimeError("OIDC_ISSUER must be an https:// address in production.")
    role_map = parse_role_map(config.get("OIDC_ROLE_MAP", ""))
    role_claim = config.get("OIDC_ROLE_CLAIM", "")
    if role_map and not role_claim:
        raise RuntimeError("OIDC_ROLE_MAP needs OIDC_ROLE_CLAIM: the claim whose values it maps (groups, roles).")
    return ProviderSettings(
        issuer=issuer,
        client_id=client_id,
        client_secret=config.get("OIDC_CLIENT_SECRET", ""),
        name=config.get("OIDC_PROVIDER_NAME") or parts.hostname or issuer,
        role_claim=role_claim,
        role_map=role_map,
        timeout=int(config.get("OIDC_TIMEOUT", 10)),
    )


def claimed_role(settings: ProviderSettings, claims: Mapping[str, Any]) -> Role | None:
    """The highest role the role claim's values map to (a list or a single string); None when none maps."""
    if not settings.role_claim:
        return None
    value = claims.get(settings.role_claim)
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    roles = [settings.role_map[v] for v in values if isinstance(v, str) and v in settings.role_map]
    return max(roles, key=ROLE_RANK.__getitem__, default=None)
