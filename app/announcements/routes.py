"""Members close a banner for good: a POST form, so it works without JavaScript."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user

from app.announcements import bp
from app.extensions import db
from app.models import Announcement
from app.permissions import SIGNED_IN, access
from app.services.content.announcements import dismiss as dismiss_announcement
from app.web.redirects import safe_next


@bp.route("/<int:announcement_id>/dismiss", methods=["POST"])
@access(SIGNED_IN)
def dismiss(announcement_id: int):  # noqa: ANN201
    announcement = db.session.get(Announcement, announcement_id) if announcement_id < 2**31 else None
    if announcement is None:
        abort(404)
    dismiss_announcement(current_user, announcement)
    return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
