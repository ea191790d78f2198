"""Serving pictures, after the same decision as the text they belong to."""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import current_user

from app import permissions
from app.media import bp
from app.media.queries import picture_and_parent_or_404
from app.permissions import PUBLIC, access
from app.services.media.storage import get_storage
from app.web.pictures import file_name

# Public pictures never change under their address (a new picture is a new row): browsers keep them a year.
PUBLIC_CACHE = "public, max-age=31536000, immutable"
PRIVATE_CACHE = "private, no-cache"


@bp.route("/<int:picture_id>/<filename>")
@access(PUBLIC)
def picture(picture_id: int, filename: str):  # noqa: ANN201
    """The full picture, or its thumbnail with ?size=thumb; 404 for anyone who may not see what it belongs to."""
    viewer = current_user._get_current_object() if current_user.is_authenticated else None
    target = picture_and_parent_or_404(picture_id, viewer)
    picture = target[0]
    if filename != file_name(picture) or not permissions.can(viewer, "view_picture", target):
        abort(404)
    key = picture.thumb_key if request.args.get("size") == "thumb" else picture.full_key
    try:
        data = get_storage().read(key)
    except KeyError:
        abort(404)
    response = Response(data, mimetype=picture.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = f'inline; filename="{file_name(picture)}"'
    response.headers["Cache-Control"] = PUBLIC_CACHE if permissions.can(None, "view_picture", target) else PRIVATE_CACHE
    return response
