"""The footer's text-size links: small, normal or large, for visitors and members, without JavaScript."""

from __future__ import annotations

from flask import redirect, request, url_for

from app.account import bp
from app.permissions import PUBLIC, access
from app.web.redirects import safe_next
from app.web.text_size import SIZES, remember_text_size


@bp.route("/text-size")
@access(PUBLIC)
def text_size():  # noqa: ANN201
    """Plain links, so pages shared by all visitors carry no token: the choice changes only this browser's cookie,
    and an unknown size changes nothing."""
    size = request.args.get("size", "")
    back = redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return remember_text_size(back, size) if size in SIZES else back
