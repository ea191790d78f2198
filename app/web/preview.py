"""Preview: a composer's text shown exactly as it will look, and nothing stored.

Every composer (a view declared with app.web.drafts.composer) has a "Preview" button (`name="preview"`). Without
JavaScript it sends the form: the view runs as for any POST, but its form does not count as submitted (see
PageForm.is_submitted), so nothing is validated or written and the page comes back with the text in place and the
preview beside it. With JavaScript, static/preview.js asks app.main.preview for the same HTML and shows it in place.
Both cook the text with the renderer the composer's service uses when it stores it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from app.services.community.mentions import cook_with_mentions
from app.text.rendering import cook
from app.web.drafts import composer_of

PREVIEW_FIELD = "preview"
# Composers whose service links @mentions when storing the text (app/services/community/posting.py).
LINKS_MENTIONS = frozenset({"community.new_topic", "community.reply_to", "community.edit"})
POST, TEXT = "post", "text"  # how a text is cooked: as a forum post (mentions linked) or as any other text


def previewing() -> bool:
    """Is this request a composer's form sent with its Preview button, by this member's own page?

    A form whose token is not valid is no preview: it goes the usual way (the "form had expired" answer, the text
    kept), so another site cannot make a member's browser show a page of its own words under our address."""
    return (  # the body last: only a composer's valid form is read for the button
        request.method == "POST"
        and composer_of(request.endpoint) is not None
        and bool(g.get("csrf_valid"))
        and PREVIEW_FIELD in request.form
    )


def preview_kind(action: str | None = None) -> str:
    """How the composer a form posts to (`action`, a path; default: this request's) cooks what it stores. The page
    showing a form is not always its composer: a topic page shows the reply form, which posts elsewhere."""
    endpoint = request.endpoint
    adapter = current_app.create_url_adapter(request)
    if action is not None and adapter is not None:
        try:
            endpoint = str(adapter.match(urlsplit(action).path, method="POST")[0])
        except HTTPException:  # not one of our addresses: cooked as any text
            endpoint = None
    return POST if endpoint in LINKS_MENTIONS else TEXT


def render_preview(raw: str, kind: str) -> Markup:
    """The HTML a text will have once stored, the same renderer the services use."""
    cooked = cook_with_mentions(raw) if kind == POST else cook(raw)
    return Markup(cooked)  # noqa: S704 - the output of rendering.sanitize_html


def composer_preview(raw: str | None) -> Markup | None:
    """For a composer's template: the preview of its text when the member asked for one, else None."""
    if not previewing():
        return None
    return render_preview(raw or "", preview_kind())
