"""A post's edit history: its versions, the changes between any two, and erasing an old version's words."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.community import bp
from app.community.forms import RedactRevisionForm
from app.community.queries import post_or_404
from app.guidelines.diff import diff_lines
from app.mod.log_labels import reason_label
from app.models import Post
from app.models.revisions import PostRevision
from app.permissions import PUBLIC, SIGNED_IN, access
from app.services import ServiceError
from app.services.community.revisions import redact, revisions_of


def _history_or_404(post_id: int) -> Post:
    """The post, for a reader who may see its history; everyone else is told there is nothing here."""
    post = post_or_404(post_id)
    permissions.ensure_visible(current_user, post)
    if not permissions.can(current_user, "view_revisions", post):
        abort(404)
    return post


def _chosen(versions: list[PostRevision]) -> tuple[PostRevision, PostRevision] | None:
    """The two versions to compare: `?from=&to=` when both exist, else the last change."""
    if len(versions) < 2:
        return None
    by_number = {v.number: v for v in versions}
    new = by_number.get(request.args.get("to", type=int) or 0, versions[-1])
    old = by_number.get(request.args.get("from", type=int) or 0)
    if old is None:
        old = by_number.get(new.number - 1, versions[0])
    return old, new


@bp.route("/p/<int:post_id>/revisions")
@access(PUBLIC)  # the view answers 404 to anyone who may not read this history
def revisions(post_id: int):  # noqa: ANN201
    post = _history_or_404(post_id)
    versions = revisions_of(post)
    chosen = _chosen(versions)
    title_rows, rows = [], []
    if chosen is not None:
        old, new = chosen
        rows = diff_lines(old.raw, new.raw)
        if post.is_opening and old.title != new.title:
            title_rows = diff_lines(old.title or "", new.title or "")
    return render_template(
        "community/revisions.html",
        post=post,
        versions=versions,
        chosen=chosen,
        rows=rows,
        title_rows=title_rows,
        reason_label=reason_label,
    )


@bp.route("/p/<int:post_id>/revisions/<int:number>/redact", methods=["GET", "POST"])
@access(SIGNED_IN)
def redact_revision(post_id: int, number: int):  # noqa: ANN201
    post = _history_or_404(post_id)
    versions = {v.number: v for v in revisions_of(post)}
    revision = versions.get(number)
    if revision is None:
        abort(404)
    permissions.ensure(current_user, "redact_revision", (post, revision, max(versions)))
    form = RedactRevisionForm()
    if form.validate_on_submit():
        if not form.confirm.data:
            form.confirm.errors = [_("Tick the box to confirm that this version's text should be erased.")]
        else:
            try:
                redact(current_user, post, number)
            except ServiceError as error:
                flash(error.message, "error")
            else:
                flash(_("Version %(number)d was erased.", number=number), "success")
            return redirect(url_for(".revisions", post_id=post.id))
    status = 422 if form.errors else 200
    return render_template("community/redact_revision.html", post=post, revision=revision, form=form), status
