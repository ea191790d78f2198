"""Acting on a topic or post in place: lock, move, hide, restore or delete, each with a reason."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.community.queries import post_or_404, topic_or_404
from app.extensions import db
from app.mod import bp
from app.mod.forms import (
    MoveForm,
    ReasonForm,
)
from app.mod.queries import (
    moderated_groups,
)
from app.models import ContentStatus, Group
from app.permissions import TEAM, access
from app.services import ServiceError
from app.services.community.topic_actions import move_topic, set_locked, set_post_hidden, set_topic_visibility
from app.web.forms import apply_service_error, run_and_flash


@bp.route("/topics/<int:topic_id>/<any(lock, unlock):verb>", methods=["POST"])
@access(TEAM)
def lock_topic(topic_id: int, verb: str):  # noqa: ANN201
    topic = topic_or_404(topic_id)
    form = ReasonForm()
    form.validate_on_submit()
    done = _("Topic locked.") if verb == "lock" else _("Topic unlocked.")
    run_and_flash(lambda: set_locked(current_user, topic, verb == "lock", form.reason.data or ""), done)
    return redirect(url_for("community.topic", topic_id=topic.id, slug=topic.slug))


@bp.route("/topics/<int:topic_id>/move", methods=["GET", "POST"])
@access(TEAM)
def move(topic_id: int):  # noqa: ANN201
    topic = topic_or_404(topic_id)
    permissions.ensure(current_user, "moderate", topic.group)
    form = MoveForm()
    form.group.choices = [(g.id, g.name) for g in moderated_groups(current_user) if g.id != topic.group_id]
    if form.validate_on_submit():
        destination = db.session.get(Group, form.group.data or 0)
        if destination is None:
            form.group.errors = [_("Choose a group.")]
        else:
            try:
                move_topic(current_user, topic, destination, form.reason.data or "")
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                flash(_("Topic moved to %(group)s.", group=destination.name), "success")
                return redirect(url_for("community.topic", topic_id=topic.id, slug=topic.slug))
    return render_template("mod/move.html", topic=topic, form=form), 422 if form.errors or form.form_errors else 200


@bp.route("/topics/<int:topic_id>/<any(hide, restore, delete):verb>", methods=["GET", "POST"])
@access(TEAM)
def topic_visibility(topic_id: int, verb: str):  # noqa: ANN201
    topic = topic_or_404(topic_id)
    permissions.ensure(current_user, "moderate", topic.group)
    status = {"hide": ContentStatus.HIDDEN, "restore": ContentStatus.VISIBLE, "delete": ContentStatus.DELETED}[verb]
    return reason_form(
        verb,
        what=_('the topic "%(title)s"', title=topic.title),
        action=url_for(".topic_visibility", topic_id=topic.id, verb=verb),
        act=lambda reason: set_topic_visibility(current_user, topic, status, reason),
        done={"hide": _("Topic hidden."), "restore": _("Topic restored."), "delete": _("Topic deleted.")}[verb],
        then=url_for("community.topic", topic_id=topic.id, slug=topic.slug),
    )


@bp.route("/posts/<int:post_id>/<any(hide, restore):verb>", methods=["GET", "POST"])
@access(TEAM)
def post_visibility(post_id: int, verb: str):  # noqa: ANN201
    post = post_or_404(post_id)
    permissions.ensure(current_user, "moderate", post.topic.group)
    return reason_form(
        verb,
        what=_("this post"),
        action=url_for(".post_visibility", post_id=post.id, verb=verb),
        act=lambda reason: set_post_hidden(current_user, post, verb == "hide", reason),
        done=_("Post hidden.") if verb == "hide" else _("Post restored."),
        then=url_for("community.post", post_id=post.id),
    )


def reason_form(verb: str, *, what: str, action: str, act: Callable[[str], object], done: str, then: str):  # noqa: ANN202
    """Ask for a reason, then act: the one flow behind hiding, restoring and deleting topics and posts."""
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            act(form.reason.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(done, "success")
            return redirect(then)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("mod/reason.html", form=form, verb=verb, what=what, action=action), status
