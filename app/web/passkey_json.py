"""The JSON answers of the passkey endpoints, which static/passkeys.js reads: options, a refusal in words, or where
to go next. Never cached: each answer holds a single-use challenge or a sign-in."""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Response, jsonify, request
from flask_limiter import RequestLimit

from app.web.limits import limit_reached_message

# Each attempt costs two requests (options, then the answer); people retry after a slip of the finger.
PASSKEY_LIMIT = "20 per minute; 120 per hour"


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def options(options_json: str) -> Response:
    """The options py_webauthn wrote, as they are."""
    return _no_store(Response(options_json, mimetype="application/json"))


def refused(message: str, status: int = 400, *, field: str | None = None) -> Response:
    """A sentence for the member; `field` names the form field it is about, for the script to mark."""
    response = jsonify(error=message, field=field)
    response.status_code = status
    return _no_store(response)


def go_to(location: str | None) -> Response:
    """Where the script sends the browser once the passkey did its part."""
    return _no_store(jsonify(redirect=location))


def limited(limit: RequestLimit) -> Response:
    """A limit reached: said in words the script shows, with Retry-After like every 429 here."""
    wait = max(1, math.ceil(limit.reset_at - time.time()))
    response = refused(limit_reached_message(wait), 429)
    response.headers["Retry-After"] = str(wait)
    return response


def posted() -> dict[str, Any]:
    """The request's JSON object, or an empty one for anything else (the service then refuses it)."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}
