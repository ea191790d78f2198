"""The reader's text size (small, normal or large), kept in a cookie so visitors and members alike can choose it.

It needs nothing but the request, so the page cache can key pages on it before anyone is loaded, as it does with
the visitor's language.
"""

from __future__ import annotations

from flask import current_app, request
from werkzeug import Response

COOKIE = "kindred_text"
COOKIE_SECONDS = 365 * 24 * 3600
SIZES = ("small", "normal", "large")
DEFAULT = "normal"


def text_size() -> str:
    """The size this browser chose, or normal."""
    chosen = request.cookies.get(COOKIE, "")
    return chosen if chosen in SIZES else DEFAULT


def remember_text_size(response: Response, size: str) -> Response:
    """Keep the choice for a year; choosing normal forgets it."""
    secure = current_app.config.get("SESSION_COOKIE_SECURE", False)
    if size == DEFAULT:
        response.delete_cookie(COOKIE, samesite="Lax", httponly=True, secure=secure)
    else:
        response.set_cookie(COOKIE, size, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True, secure=secure)
    return response
