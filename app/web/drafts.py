"""A member's words survive a form that cannot be accepted as sent.

Views that compose something (a topic, a reply, an edit, a message, a library entry, an announcement, the
guidelines) are declared with `@composer`. For them:

- an expired or missing CSRF token does not end in an error page: the view runs, its form refuses the token (Flask-WTF
  checks it in `validate_on_submit()`, before anything is written), and the page comes back with the text, a fresh
  token, a kind sentence and status 400;
- a POST from a browser that is no longer signed in keeps the text in the session (size-limited, for a short while)
  and goes to the sign-in page; after signing in the member lands on the form with the text in it;
- a POST over a rate limit runs the view with its form refusing (the reason and when to try again at the top,
  status 429), so the form comes back with the text instead of the bare 429 page;
- a POST refused in the meantime (a topic locked, the member suspended: 403) or failing on our side (500) keeps
  the text as the member's server-side draft, in a transaction of its own, and a page says so, shows the text
  and links back to the composer (app/drafts/composing.py).

Drafts are never logged and never sent anywhere: they only fill the member's own form again, which they still have
to send themselves.
"""

from __future__ import annotations

import inspect
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, current_app, g, got_request_exception, make_response, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy.exc import DisconnectionError, OperationalError
from werkzeug.exceptions import HTTPException
from wtforms.validators import ValidationError

from app.drafts.composing import keep_posted, kept_page
from app.extensions import csrf
from app.web.limits import seconds_until_reset, try_again_sentence

DRAFT_KEY = "kindred_draft"
DRAFT_SECONDS = 2 * 60 * 60  # long enough to find a password; a forgotten draft is not kept beyond it
# The session is a signed cookie, and browsers keep at most about 4 KB of one: what fits, with room to spare.
SESSION_BYTES = 3_400

View = Callable[..., Any]


@dataclass(frozen=True)
class Composer:
    fields: tuple[str, ...]  # the form fields holding the member's writing (never a password)
    page: Callable[[dict[str, Any]], str] | None  # where the form is shown, from the POST's view arguments


def composer(*fields: str, page: Callable[[dict[str, Any]], str] | None = None) -> Callable[[View], View]:
    """Declare a view whose form holds a member's writing (put it directly under the @bp.route lines).

    `page` gives the address showing the form again when that is not the POST's own address (a reply's topic)."""

    def declare(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if request.method != "POST":
                return view(*args, **kwargs)
            if _token_valid():
                return _sent(view, args, kwargs)
            try:
                response = make_response(view(*args, **kwargs))  # the form, refusing the token: nothing written
            except HTTPException as refusal:  # not this member's form to send: the usual answer to a bad token
                raise CSRFError() from refusal
            response.status_code = 400
            return response

        checked.kindred_composer = Composer(fields, page)  # type: ignore[attr-defined]
        return csrf.exempt(checked)  # checked in the form instead, so the page can come back with the text

    return declare


def _sent(view: View, args: tuple, kwargs: dict) -> Any:
    """Run the view for a POST with a valid token; when the write cannot happen, the member's text stays."""
    try:
        return view(*args, **kwargs)
    except RateLimitExceeded as limit:
        if limit.response is not None:  # the view's own page for its limit
            raise
        return _held_back(view, args, kwargs)
    except HTTPException as refusal:
        if refusal.code != 403 or not current_user.is_authenticated:
            raise
        return kept_page(403, refusal.description)
    except (OperationalError, DisconnectionError):
        raise  # the database is away: its 503 page, and nothing could be kept there anyway
    except Exception as error:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        got_request_exception.send(app, exception=error)  # what Flask does for an error it handles
        app.log_exception(sys.exc_info())
        return kept_page(500, None)


def _held_back(view: View, args: tuple, kwargs: dict) -> Any:
    """Over a rate limit: the view runs without its limits, its form refusing with when to try again (429)."""
    wait = seconds_until_reset()
    g.kindred_held_back = " ".join(
        (_("You are sending faster than we allow for now, so this was not sent."), try_again_sentence(wait))
    )
    response = make_response(inspect.unwrap(view)(*args, **kwargs))
    response.status_code = 429
    response.headers["Retry-After"] = str(wait or 60)
    keep_posted()
    return response


def _token_valid() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    g.csrf_valid = True  # what CSRFProtect notes for the form after a check of its own
    return True


def composer_of(endpoint: str | None) -> Composer | None:
    view = current_app.view_functions.get(endpoint or "")
    return getattr(view, "kindred_composer", None)


def keep_for_sign_in() -> str | None:
    """A signed-out POST to a composer: keep its text for after signing in and return the form's address, or None
    (not a composer, or from another site). The caller sends the member to sign in either way."""
    declared = composer_of(request.endpoint)
    if declared is None or request.method != "POST" or not _same_site():
        return None
    target = declared.page(request.view_args or {}) if declared.page else request.path
    kept = {name: request.form.get(name, "") for name in declared.fields if "password" not in name}
    draft = {"for": request.path, "fields": kept, "at": int(time.time())}
    if _session_bytes({**session, DRAFT_KEY: draft}) > SESSION_BYTES:
        g.kindred_unsent_text = "\n\n".join(value for value in kept.values() if value.strip())
        return target
    session[DRAFT_KEY] = draft
    return target


def unsent_text() -> str | None:
    """Text too long to keep in the session: the sign-in page shows it to copy instead."""
    return g.get("kindred_unsent_text")


def restore(form: FlaskForm, posted_to: str | None = None) -> bool:
    """On showing a composer's form: fill in the draft kept for it (by the address it posts to), once."""
    draft = session.get(DRAFT_KEY)
    if request.method != "GET" or not isinstance(draft, dict):
        return False
    if time.time() - draft.get("at", 0) > DRAFT_SECONDS:
        session.pop(DRAFT_KEY)
        return False
    if draft.get("for") != (posted_to or request.path):
        return False
    session.pop(DRAFT_KEY)
    for name, value in (draft.get("fields") or {}).items():
        field = getattr(form, name, None)
        if field is not None and isinstance(value, str):
            field.data = value
    g.kindred_draft_restored = True
    return True


def carry_over(previous: dict[str, Any]) -> None:
    """Signing in starts a new session: the draft waiting for this sign-in goes along, nothing else."""
    draft = previous.get(DRAFT_KEY)
    if isinstance(draft, dict):
        session[DRAFT_KEY] = draft


def _same_site() -> bool:
    """A draft only from our own pages: another site must not plant text in a member's form."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin.rstrip("/") == request.host_url.rstrip("/")


def _session_bytes(data: dict[str, Any]) -> int:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return len(serializer.dumps(data)) if serializer is not None else 0


def reply_page(args: dict[str, Any]) -> str:
    return url_for("community.topic", topic_id=args["topic_id"], _anchor="reply-heading")
