"""Moderators take one picture off a post, with a reason (in the moderation area's blueprint)."""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.community.queries import post_or_404
from app.extensions import db
from app.mod import bp
from app.mod.topics import reason_form
from app.models import Picture
from app.permissions import TEAM, access
from app.services.pictures.moderation import remove_picture


@bp.route("/pictures/<int:picture_id>/remove", methods=["GET", "POST"])
@access(TEAM)
def remove_post_picture(picture_id: int):  # noqa: ANN201
    picture = db.session.get(Picture, picture_id) if 0 < picture_id < 2**31 else None
    if picture is None or picture.post_id is None:
        abort(404)
    post = post_or_404(picture.post_id)
    permissions.ensure(current_user, "moderate", post.topic.group)
    return reason_form(
        "remove",
        what=_("this picture"),
        action=url_for(".remove_post_picture", picture_id=picture.id),
        act=lambda reason: remove_picture(current_user, picture, post, reason),
        done=_("Picture removed. The post stays."),
        then=url_for("community.post", post_id=post.id),
    )
