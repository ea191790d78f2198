"""`POST /preview`: what static/preview.js shows in place when a member presses a composer's Preview button.

It answers the cooked HTML fragment, made by the same renderer the services use when storing (app/web/preview.py),
and stores nothing. CSRF is checked as on every POST; the limit keeps it from serving as a free rendering service.
"""

from __future__ import annotations

from flask import abort, make_response
from flask_limiter.util import get_remote_address
from flask_login import current_user
from wtforms import RadioField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2

from app.extensions import limiter
from app.main import bp
from app.permissions import SIGNED_IN, access
from app.web.forms import PageForm
from app.web.preview import POST, TEXT, composer_preview, preview_kind, render_preview

PREVIEW_LIMIT = "30 per minute; 600 per day"
RAW_MAX = 100_000  # above every composer's own limit: a longer text is no draft of anything that can be stored

bp.add_app_template_global(composer_preview, "composer_preview")
bp.add_app_template_global(preview_kind, "preview_kind")


class PreviewForm(PageForm):
    body = TextAreaField()
    kind = RadioField(choices=[SelectChoice(POST, POST), SelectChoice(TEXT, TEXT)], default=TEXT)


def _member_key() -> str:
    return f"member:{current_user.id}" if current_user.is_authenticated else get_remote_address()


@bp.route("/preview", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit(PREVIEW_LIMIT, key_func=_member_key)
def preview():  # noqa: ANN201
    """The HTML a composer's text will have once stored (a fragment, never cached)."""
    form = PreviewForm()
    raw = form.body.data or ""
    if not form.validate_on_submit() or len(raw) > RAW_MAX or "\x00" in raw:
        abort(400)
    response = make_response(render_preview(raw, form.kind.data or TEXT))
    response.headers["Cache-Control"] = "private, no-store"
    return response
