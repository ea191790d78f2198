"""The composers' side of drafts: which place a composer writes to, filling in its draft, keeping unsent text.

A composer view names its place with `fill()` (when it shows the form) or `at()` (when it receives it); the
composer's template includes templates/drafts/_composer.html, which reads `composer_draft()`. When a write fails
(a rate limit, a refusal, a server error) app.web.drafts calls `keep_posted()` to keep the text on the server.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm

from app.extensions import db
from app.models import Draft
from app.services.drafts.drafts import find_draft, keep_unsent
from app.services.drafts.places import Place, composer_url

# The composers' field names, and the draft column each one is kept in.
FIELDS = {"title": "title", "subject": "title", "to": "recipients", "body": "body"}


@dataclass(frozen=True)
class ComposerDraft:
    """What a composer's template needs: the place (for the save and discard addresses) and the draft shown."""

    place: Place
    draft: Draft | None


def at(kind: str, target_id: int = 0) -> Place:
    """This request's composer writes to this place."""
    place = Place(kind, target_id)
    g.kindred_draft_place = place
    return place


def fill(form: FlaskForm, kind: str, target_id: int = 0) -> Draft | None:
    """On showing a composer: name its place and fill in the member's saved draft for it (unless the text kept
    through a sign-in was just filled in, or the form was sent)."""
    place = at(kind, target_id)
    if not _fillable():
        return None
    return fill_with(form, find_draft(current_user, place))


def fill_with(form: FlaskForm, draft: Draft | None) -> Draft | None:
    """`fill()` with the draft already loaded by the page's own query (the topic page's statements stay fixed)."""
    if draft is None or not _fillable():
        return None
    for name, column in FIELDS.items():
        field = getattr(form, name, None)
        if field is not None and getattr(draft, column):
            field.data = getattr(draft, column)
    g.kindred_server_draft = draft
    return draft


def _fillable() -> bool:
    return request.method == "GET" and current_user.is_authenticated and not g.get("kindred_draft_restored")


def composer_draft() -> ComposerDraft | None:
    """For templates/drafts/_composer.html: None outside a signed-in member's composer."""
    place = g.get("kindred_draft_place")
    if place is None or not current_user.is_authenticated:
        return None
    return ComposerDraft(place, g.get("kindred_server_draft"))


def posted_texts() -> dict[str, str]:
    """The writing in the POST, by draft column."""
    texts = {"title": "", "recipients": "", "body": ""}
    for name, column in FIELDS.items():
        texts[column] = texts[column] or request.form.get(name, "")
    return texts


def keep_posted() -> Place | None:
    """Keep the text of this failed POST as the member's draft, in its own transaction; the place when kept."""
    place = g.get("kindred_draft_place")
    if place is None or not current_user.is_authenticated or request.method != "POST":
        return None
    return place if keep_unsent(current_user, place, posted_texts()) else None


def kept_page(status: int, reason: str | None) -> tuple[str, int]:
    """The answer to a composer's POST that could not be written (403: refused meanwhile, 500: our failure): the
    reason, the text itself to copy, and, when it could be kept as a draft, the way back to it."""
    try:
        place = keep_posted()
    except Exception:  # noqa: BLE001 - the page must still show the text; the failure is already logged above
        db.session.rollback()
        place = None
    texts = [(name, text) for name, text in posted_texts().items() if text.strip()]
    page = render_template(
        "drafts/kept.html",
        status=status,
        reason=reason,
        kept=place is not None,
        back=composer_url(place) if place is not None else None,
        texts=texts,
    )
    return page, status
