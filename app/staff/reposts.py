"""Reposting a member's post on another channel: the text, card and link to copy, and a record of where it went."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.community.queries import post_or_404
from app.extensions import db
from app.permissions import STAFF, access
from app.services import ServiceError
from app.services.sharing.card import card_content
from app.services.sharing.reposts import record_repost
from app.services.sharing.text import plain_text
from app.staff import bp
from app.staff.forms import RepostForm
from app.web.forms import apply_service_error


@bp.route("/repost/<int:post_id>", methods=["GET", "POST"])
@access(STAFF)
def repost(post_id: int):  # noqa: ANN201
    """GET: what to copy; POST: write down the channel. Refused, with the reason, without consent or in private."""
    post = post_or_404(post_id)
    permissions.ensure_visible(current_user, post)
    refusal = permissions.why_not(current_user, "repost_post", post)
    form = RepostForm()
    if refusal is None and form.validate_on_submit():
        try:
            event = record_repost(current_user, post, form.channel.data or "")
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            flash(
                _("Recorded: you reposted this post on %(channel)s.", channel=(event.after or {})["channel"]), "success"
            )
            return redirect(url_for(".repost", post_id=post.id))
    content = card_content(post, current_app.config["SITE_NAME"]) if refusal is None else None
    page = render_template(
        "staff/repost.html",
        post=post,
        form=form,
        refusal=refusal,
        text=plain_text(post.cooked),
        author=content.author if content else None,
    )
    if refusal is not None:
        return page, 403
    return page, 422 if form.errors or form.form_errors else 200
