"""Sign-in with the organisation's OpenID Connect provider: the redirect there and the way back.

Authlib runs the authorization-code flow with PKCE (S256), a state and a nonce kept in this browser's session, and
verifies the ID token against the keys the provider publishes. Its defaults leave the audience unchecked (only
`azp` is), so the claim options below require our issuer and our client id explicitly; the expiry and the nonce
are checked by Authlib's ID token class, and the signature by joserfc with the provider's JWKS.
"""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client import OAuthError  # type: ignore[import-untyped]
from authlib.integrations.flask_client import OAuth  # type: ignore[import-untyped]
from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from app.auth import bp, signin
from app.extensions import limiter
from app.permissions import PUBLIC, access
from app.services import ServiceError
from app.services.members.provider import sign_in_from_claims
from app.services.members.provider_settings import ProviderSettings, provider_settings
from app.web.redirects import safe_next

log = logging.getLogger(__name__)

EXTENSION = "kindred_oidc"
NEXT_KEY = "oidc_next"
SCOPE = "openid email profile"
LEEWAY = 60  # seconds of clock difference allowed on exp and iat
# Only the provider's own redirects reach these, one per sign-in; the limits keep a loop from hammering it while
# a hospital's staff, signing in together from one address at a change of shift, stay well inside them.
LIMITS = "30 per minute; 300 per hour"


def init_app(app: Flask) -> None:
    """Check the settings now (a mistake stops the app) and, when configured, register the provider's client."""
    settings = provider_settings(app.config)
    app.add_template_global(configured, "oidc_provider")
    if settings is None:
        return
    oauth = OAuth(app)
    client = oauth.register(
        "provider",
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        server_metadata_url=settings.metadata_url,
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": settings.timeout},
    )
    app.extensions[EXTENSION] = (settings, client)


def configured() -> ProviderSettings | None:
    """The provider's settings when sign-in with it is on (for the login page and the account hub)."""
    found = current_app.extensions.get(EXTENSION)
    return found[0] if found else None


def _provider():  # noqa: ANN202 - Authlib's client class is untyped
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        abort(404)
    return found


@bp.route("/login/oidc")
@access(PUBLIC)
@limiter.limit(LIMITS)
def oidc_login():  # noqa: ANN201
    settings, client = _provider()
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        return _refused(settings, f"discovery failed: {type(error).__name__}")
    if metadata.get("issuer") != settings.issuer:
        return _refused(settings, "the discovery document names another issuer")
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    return client.authorize_redirect(_callback_url(), scope=_scope(settings, metadata))


def _scope(settings: ProviderSettings, metadata: dict) -> str:
    """Ask for the role claim's own scope too, when the provider names one after it (oidc-provider's `groups`)."""
    if settings.role_claim and settings.role_claim in metadata.get("scopes_supported", ()):
        return f"{SCOPE} {settings.role_claim}"
    return SCOPE


def _callback_url() -> str:
    """The address the provider sends the member back to: from KINDRED_BASE_URL when set, never a forged Host."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for("auth.oidc_callback")
    return url_for("auth.oidc_callback", _external=True)


@bp.route("/login/oidc/callback")
@access(PUBLIC)
@limiter.limit(LIMITS)
def oidc_callback():  # noqa: ANN201
    settings, client = _provider()
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    # RFC 9207: a provider that names itself must be ours, or the answer is from another provider (a mix-up).
    if request.args.get("iss", settings.issuer) != settings.issuer:
        return _refused(settings, "the answer names another issuer")
    try:
        token = client.authorize_access_token(claims_options=_claims_options(settings), leeway=LEEWAY)
    except OAuthError as error:
        if error.error == "access_denied":
            log.info("oidc sign-in cancelled at the provider")
            flash(
                _("You did not allow the sign-in with %(provider)s. Nobody was signed in.", provider=settings.name),
                "info",
            )
            return redirect(url_for("auth.login"))
        return _refused(settings, f"{type(error).__name__} {error.error}")
    except JoseError as error:  # signature, issuer, audience, expiry or nonce
        return _refused(settings, f"ID token refused: {type(error).__name__}: {error.description}")
    except (requests.RequestException, ValueError) as error:
        return _refused(settings, f"token request failed: {type(error).__name__}")
    claims = token.get("userinfo")
    if not claims:  # Authlib verifies the ID token only when there is one and a nonce was sent: require both
        return _refused(settings, "no verified ID token")
    next_url = session.pop(NEXT_KEY, None)
    try:
        outcome = sign_in_from_claims(settings, claims)
    except ServiceError as error:
        log.info("oidc sign-in refused by the account rules")
        flash(error.message, "error")
        return redirect(url_for("auth.login"))
    if outcome.created:
        next_url = url_for("guidelines.accept", next=safe_next(next_url))
    response = signin.begin(outcome.member, method="oidc", next_url=next_url)
    # After begin(): the new session (or the second-factor step) is where these show.
    if outcome.created:
        flash(_("Welcome! We made you an account with your details from %(provider)s.", provider=settings.name), "info")
        flash(_("Please read and accept the community guidelines before you post."), "info")
    if outcome.linked:
        flash(
            _(
                "Your account here is now linked to %(provider)s, because they share a confirmed e-mail address. "
                "You can sign in either way.",
                provider=settings.name,
            ),
            "info",
        )
    return response


def _claims_options(settings: ProviderSettings) -> dict:
    return {
        "iss": {"essential": True, "value": settings.issuer},
        "aud": {"essential": True, "value": settings.client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
    }


def _refused(settings: ProviderSettings, reason: str) -> Response:
    """Nobody is signed in; the log says why (never a token or a code), the member what to do."""
    log.warning("oidc sign-in refused: %s", reason)
    session.pop(NEXT_KEY, None)
    flash(
        _(
            "We could not sign you in with %(provider)s. Please try again. Nobody was signed in.",
            provider=settings.name,
        ),
        "error",
    )
    return redirect(url_for("auth.login"))
