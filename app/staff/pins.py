"""Pinned topics: pin, unpin and order them (staff only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import permissions
from app.community.queries import topic_or_404
from app.extensions import db
from app.models import ContentStatus, Topic
from app.permissions import STAFF, access
from app.services.community.pins import move_pin, pin_topic, unpin_topic
from app.staff import bp
from app.staff.forms import PinForm
from app.web.forms import run_and_flash
from app.web.redirects import safe_next


def _back(topic: Topic):  # noqa: ANN202
    target = url_for("community.topic", topic_id=topic.id, slug=topic.slug)
    return redirect(safe_next(request.args.get("next")) or target)


@bp.route("/pins")
@access(STAFF)
def pins():  # noqa: ANN201
    permissions.ensure(current_user, "manage_pins", None)
    pinned = db.session.scalars(
        select(Topic)
        .options(joinedload(Topic.group))
        .where(Topic.pinned, Topic.status == ContentStatus.VISIBLE)
        .order_by(Topic.pin_rank.desc(), Topic.id.desc())
    ).all()
    by_group: dict[str, list[Topic]] = {}
    for topic in sorted(pinned, key=lambda t: (t.group.position, t.group.name)):
        by_group.setdefault(topic.group.name, []).append(topic)
    site_wide = [topic for topic in pinned if topic.pinned_site_wide]
    return render_template("staff/pins.html", by_group=by_group, site_wide=site_wide)


@bp.route("/topics/<int:topic_id>/pin", methods=["POST"])
@access(STAFF)
def pin(topic_id: int):  # noqa: ANN201
    topic = topic_or_404(topic_id)
    form = PinForm()
    if not form.validate_on_submit():
        flash(_("Choose where to pin the topic."), "error")
        return _back(topic)
    site_wide = form.scope.data == "site"
    run_and_flash(
        lambda: pin_topic(current_user, topic, site_wide=site_wide),
        _("Pinned site-wide.") if site_wide else _("Pinned."),
    )
    return _back(topic)


@bp.route("/topics/<int:topic_id>/unpin", methods=["POST"])
@access(STAFF)
def unpin(topic_id: int):  # noqa: ANN201
    topic = topic_or_404(topic_id)
    run_and_flash(lambda: unpin_topic(current_user, topic), _("Unpinned."))
    return _back(topic)


@bp.route(
    "/pins/<any(group, site):where>/<int:topic_id>/<any(up, down):direction>", methods=["POST"], endpoint="move_pin"
)
@access(STAFF)
def move_pin_view(where: str, topic_id: int, direction: str):  # noqa: ANN201
    topic = topic_or_404(topic_id)
    done = _("Moved up.") if direction == "up" else _("Moved down.")
    run_and_flash(lambda: move_pin(current_user, topic, direction, site_wide=where == "site"), done)
    return redirect(url_for(".pins"))
