"""HTTP security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        # The one frame a page may hold: the YouTube player static/video.js swaps in when a reader clicks a card.
        "frame-src https://www.youtube-nocookie.com",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# The embeddable card (app/sharing): the one page other sites may frame. It runs no script, loads only its own
# stylesheet, and holds no form, so being framed cannot be turned into clicks on our buttons.
FRAMEABLE_ENDPOINTS = frozenset({"sharing.embed"})
FRAMEABLE_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors *",
    ]
)


def register(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        # Decided by the route, not the response, so a copy from the page cache is framed (or not) alike.
        frameable = request.endpoint in FRAMEABLE_ENDPOINTS and response.status_code == 200
        headers.setdefault("Content-Security-Policy", FRAMEABLE_POLICY if frameable else CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if not frameable:
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
