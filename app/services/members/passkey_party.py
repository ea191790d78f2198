"""Who this site is to a passkey: its relying-party id (the domain a credential is bound to), the name devices show,
and the one origin whose answers count.

Like links in e-mail, none of it comes from an unchecked Host header: KINDRED_BASE_URL when set (production requires
it), otherwise the request's own address only when its host is trusted (tokens.mail_link_root)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

from app.services.members.tokens import mail_link_root


def _site_root() -> str:
    return current_app.config.get("BASE_URL") or mail_link_root()


def expected_origin() -> str:
    """scheme://host[:port] of the site, as the browser reports it in every WebAuthn answer."""
    parts = urlsplit(_site_root())
    return f"{parts.scheme}://{parts.netloc}".lower()


def rp_id() -> str:
    """WEBAUTHN_RP_ID, or the site's host name: a passkey made here works on this domain only."""
    return current_app.config.get("WEBAUTHN_RP_ID") or (urlsplit(_site_root()).hostname or "localhost")


def rp_name() -> str:
    """WEBAUTHN_RP_NAME, or the community's name: what the device shows when it asks to use the passkey."""
    return current_app.config.get("WEBAUTHN_RP_NAME") or current_app.config["SITE_NAME"]
