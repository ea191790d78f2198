"""Follow buttons, the notification settings page and unsubscribe links."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import permissions
from app.community.queries import group_or_404, topic_or_404
from app.extensions import csrf
from app.notify import bp
from app.notify.forms import NotificationSettingsForm
from app.permissions import PUBLIC, SIGNED_IN, access
from app.services import ServiceError
from app.services.community.follows import set_group_follow, set_topic_follow
from app.services.notify.preferences import KINDS, deliveries, read_unsubscribe_token, save_deliveries
from app.services.notify.preferences import unsubscribe as unsubscribe_by_token
from app.web.forms import EmptyForm

TOPIC_DONE = {
    "follow": _l("You follow this topic: you will hear about new replies."),
    "unfollow": _l("You no longer follow this topic."),
    "mute": _l("Topic muted: you will not hear about it, even when you post in it."),
}
GROUP_DONE = {
    "follow": _l("You follow this group: you will hear about new topics."),
    "unfollow": _l("You no longer follow this group."),
}


@bp.route("/t/<int:topic_id>/<any(follow, unfollow, mute):verb>", methods=["POST"])
@access(SIGNED_IN)
def topic_follow(topic_id: int, verb: str):  # noqa: ANN201
    topic = topic_or_404(topic_id)
    permissions.ensure_visible(current_user, topic)  # a topic the member cannot see answers 404, as elsewhere
    set_topic_follow(current_user, topic, verb)
    flash(str(TOPIC_DONE[verb]), "success")
    return redirect(url_for("community.topic", topic_id=topic.id, slug=topic.slug))


@bp.route("/g/<slug>/<any(follow, unfollow):verb>", methods=["POST"])
@access(SIGNED_IN)
def group_follow(slug: str, verb: str):  # noqa: ANN201
    group = group_or_404(slug)
    set_group_follow(current_user, group, verb)
    flash(str(GROUP_DONE[verb]), "success")
    return redirect(url_for("community.group", slug=group.slug))


@bp.route("/account/notifications", methods=["GET", "POST"])
@access(SIGNED_IN)
def preferences():  # noqa: ANN201
    current = {name: delivery.value for name, delivery in deliveries(current_user.id).items()}
    form = NotificationSettingsForm(data=current)
    if form.validate_on_submit():
        save_deliveries(current_user, form.choices())
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for(".preferences"))
    status = 422 if form.errors else 200
    return render_template("notify/preferences.html", form=form, kinds=KINDS), status


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@access(PUBLIC)  # the signed token in the link says whose e-mails stop
@csrf.exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" without a form; see below
def unsubscribe(token: str):  # noqa: ANN201
    """GET asks for confirmation (link scanners must not unsubscribe anyone); POST unsubscribes.

    A POST from our own confirmation form carries a CSRF token; a one-click POST from a mail provider carries
    the RFC 8058 body instead. Either way the signed token decides whose e-mails stop."""
    if request.method == "POST" and request.form.get("List-Unsubscribe") != "One-Click":
        csrf.protect()  # raises CSRFError (400, nothing written) for a form without a valid token
    try:
        target = unsubscribe_by_token(token) if request.method == "POST" else read_unsubscribe_token(token)
    except ServiceError as error:
        return render_template("notify/unsubscribe.html", problem=error.message), 400
    done = request.method == "POST"
    return render_template("notify/unsubscribe.html", target=target, done=done, form=EmptyForm())
