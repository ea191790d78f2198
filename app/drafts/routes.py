"""/drafts: a member's own drafts; saving one from the composer (JavaScript) and discarding one (a button)."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.drafts import bp
from app.drafts.composing import posted_texts
from app.extensions import limiter
from app.permissions import SIGNED_IN, access
from app.services import ServiceError
from app.services.common.submissions import was_sent
from app.services.drafts.drafts import discard_draft, member_drafts, save_draft
from app.services.drafts.places import Place, composer_url, describe_all, parse

# A composer saves a few seconds after the member stops typing: a fast writer makes a few saves a minute.
SAVE_LIMIT = "30 per minute; 2000 per day"


def _member_key() -> str:
    return f"member:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def _place_or_404() -> Place:
    place = parse(request.args.get("place"))
    if place is None:
        abort(404)
    return place


@bp.route("/drafts")
@access(SIGNED_IN)
def index():  # noqa: ANN201
    listed = describe_all(current_user, member_drafts(current_user))
    return render_template("drafts/index.html", listed=listed)


@bp.route("/drafts/save", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit(SAVE_LIMIT, key_func=_member_key)
def save():  # noqa: ANN201
    """The composer's script saves here (the whole form, with its CSRF token); it reads the answer's message."""
    place = _place_or_404()
    if was_sent(current_user, request.form.get("submission_key")):
        # A save that set off just before its form was sent and arrived after it: the text is posted, keep nothing.
        return jsonify(saved=False, message="")
    try:
        draft = save_draft(current_user, place, **posted_texts())
    except ServiceError as error:
        return jsonify(saved=False, message=error.message), 422
    if draft is None:
        return jsonify(saved=False, message=_("Nothing to keep: the draft is empty."))
    return jsonify(saved=True, message=_("Draft saved at %(time)s.", time=format_time(draft.saved_at, "short")))


@bp.route("/drafts/discard", methods=["POST"])
@access(SIGNED_IN)
def discard():  # noqa: ANN201
    place = _place_or_404()
    discard_draft(current_user, place)
    flash(_("Your draft is discarded."), "info")
    back = composer_url(place) if request.args.get("back") != "list" else None
    return redirect(back or url_for(".index"))
