"""Sensitive actions ask the member to prove who they are again when this browser's last proof is a while ago.

Put @recent_confirmation under a view's @access line. A GET goes to the confirmation page and comes back; a POST
is not carried out (its data is not kept either: it may hold a new password) and the member returns to the form
page, with a word that they need to send it again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import redirect, request, session, url_for
from flask_login import current_user

from app.services.members.confirmation import confirmed_recently

INTERRUPTED_KEY = "reauth_interrupted"  # a POST was turned away: tell the member to send the form again

FormPage = Callable[..., str]


def _here() -> str:
    return request.full_path if request.query_string else request.path


def recent_confirmation(view: Callable[..., Any] | None = None, *, form_page: FormPage | None = None) -> Any:
    """Guard a view: without a confirmation within REAUTH_SECONDS, send the member to /account/confirm first.

    `form_page(**view_args)` names the page with the form, for a view that only receives the POST; by default it
    is the view's own URL."""

    def decorate(inner: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(inner)
        def guarded(**view_args: Any) -> Any:
            member = current_user._get_current_object()
            if not member.is_authenticated or confirmed_recently(member):
                return inner(**view_args)
            if request.method in ("GET", "HEAD"):
                session.pop(INTERRUPTED_KEY, None)  # nothing was turned away on this trip
                return redirect(url_for("account.confirm", next=_here()))
            session[INTERRUPTED_KEY] = True
            page = form_page(**view_args) if form_page is not None else request.path
            return redirect(url_for("account.confirm", next=page), code=303)

        return guarded

    return decorate(view) if view is not None else decorate
