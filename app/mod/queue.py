"""The review queue and the audit log: what waits for a decision, and every decision taken."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func

from app import permissions
from app.extensions import db
from app.mod import bp
from app.mod.forms import (
    BulkForm,
    DecisionForm,
    EditApproveForm,
)
from app.mod.log_labels import EDITED_BEFORE_APPROVAL, action_label, change_lines, reason_label
from app.mod.queries import (
    audit_actions,
    audit_query,
    member_histories,
    moderated_groups,
    open_items_query,
    queue_page,
    trusted_ids,
)
from app.models import ContentStatus
from app.models.moderation import FLAG_REASON_LABELS, AuditEvent, ReviewItem, ReviewKind
from app.permissions import TEAM, access
from app.services import ServiceError
from app.services.moderation.queue import Decision, decide, decide_many
from app.web.forms import apply_service_error
from app.web.pagination import make_page

QUEUE_PAGE_SIZE = 20
LOG_PAGE_SIZE = 50

# The flash after one decision, in the words of the choice the moderator made on the form.
DECISION_RECORDED = {
    "approve": _l("Approved and published."),
    "reject": _l("Rejected: the post is not published."),
    "hide": _l("Hidden: the post is out of the community's view."),
    "dismiss": _l("Kept published: the flags were unfounded."),
}
APPROVED_STILL_PUBLISHED = _l("Approved: the post stays published.")


def _bulk_recorded(action: str, num: int) -> str:
    """The flash after a bulk decision, in the words of the bulk form's choice."""
    if action == "approve":
        return ngettext("%(num)d item approved.", "%(num)d items approved.", num)
    if action == "reject":
        return ngettext("%(num)d item rejected.", "%(num)d items rejected.", num)
    return ngettext("%(num)d item decided.", "%(num)d items decided.", num)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@bp.route("")
@access(TEAM)
def home():  # noqa: ANN201
    """/mod, as a moderator would type it: the review queue."""
    permissions.ensure(current_user, "view_queue", None)
    return redirect(url_for(".queue"))


@bp.route("/queue")
@access(TEAM)
def queue():  # noqa: ANN201
    permissions.ensure(current_user, "view_queue", None)
    group_id, kind = _int_arg("group"), request.args.get("kind") or None
    total = (
        db.session.scalar(open_items_query(current_user, group_id, kind).with_only_columns(func.count()).order_by(None))
        or 0
    )
    page = make_page(total, QUEUE_PAGE_SIZE)
    items, flags = queue_page(current_user, group_id, kind, page.offset, page.per_page)
    authors = {i.post.author_id for i in items if i.post.author_id is not None}
    return render_template(
        "mod/queue.html",
        items=items,
        flags=flags,
        page=page,
        groups=moderated_groups(current_user),
        group_id=group_id,
        kind=kind,
        kinds=list(ReviewKind),
        decision_form=DecisionForm(),
        bulk_form=BulkForm(),
        flag_labels=FLAG_REASON_LABELS,
        history=member_histories(authors),
        trusted=trusted_ids(authors),
        reason_label=reason_label,
        open_id=_int_arg("open"),  # the item whose decision was refused: its form stays open
    )


def _item_or_404(item_id: int) -> ReviewItem:
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        abort(404)
    permissions.ensure(current_user, "moderate", item.group)
    return item


def _back_to_item(item_id: int):  # noqa: ANN202
    """Back to the queue with this item's decision open, after a decision that was refused."""
    back = url_for(".queue", group=_int_arg("group"), kind=request.args.get("kind") or None, open=item_id)
    return redirect(f"{back}#item-{item_id}")


@bp.route("/items/<int:item_id>/decide", methods=["POST"])
@access(TEAM)
def decide_item(item_id: int):  # noqa: ANN201
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose a decision."), "error")
        return _back_to_item(item_id)
    version = int(seen) if (seen := form.version.data or "").isdigit() else None
    action = form.action.data or ""
    item = db.session.get(ReviewItem, item_id)
    was_published = item is not None and item.post.status == ContentStatus.VISIBLE
    decision = Decision(action, form.note.data or "", guideline=form.guideline.data or "")
    try:
        decide(current_user, item_id, decision, seen_version=version)
    except ServiceError as error:
        flash(error.message, "error")
        return _back_to_item(item_id)
    else:
        recorded = APPROVED_STILL_PUBLISHED if action == "approve" and was_published else DECISION_RECORDED[action]
        flash(str(recorded), "success")
    return redirect(url_for(".queue", group=_int_arg("group"), kind=request.args.get("kind") or None))


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@access(TEAM)
def edit_item(item_id: int):  # noqa: ANN201
    item = _item_or_404(item_id)
    form = EditApproveForm(data={"body": item.post.raw, "version": str(item.version)})
    if form.validate_on_submit():
        version = int(seen) if (seen := form.version.data or "").isdigit() else None
        try:
            decide(
                current_user,
                item.id,
                Decision("approve", form.note.data or EDITED_BEFORE_APPROVAL, form.body.data or ""),
                seen_version=version,
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Edited and approved."), "success")
            return redirect(url_for(".queue"))
    return render_template("mod/edit_item.html", item=item, form=form), 422 if form.errors or form.form_errors else 200


@bp.route("/queue/bulk", methods=["POST"])
@access(TEAM)
def bulk():  # noqa: ANN201
    permissions.ensure(current_user, "view_queue", None)
    form = BulkForm()
    form.validate_on_submit()
    ids = [i for i in (form.item_ids.data or []) if isinstance(i, int)]
    if not ids:
        flash(_("Select at least one item."), "error")
        return redirect(url_for(".queue"))
    done, problems = decide_many(current_user, ids, Decision(form.action.data or "", form.note.data or ""))
    if done:
        flash(_bulk_recorded(form.action.data or "", done), "success")
    for problem in problems:
        flash(problem, "error")
    return redirect(url_for(".queue"))


@bp.route("/log")
@access(TEAM)
def log():  # noqa: ANN201
    permissions.ensure(current_user, "view_audit_log", None)
    actor_id, group_id, action = _int_arg("actor"), _int_arg("group"), request.args.get("action") or None
    query = audit_query(actor_id, action, group_id, current_user)
    total = db.session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    page = make_page(total, LOG_PAGE_SIZE)
    events = db.session.scalars(query.order_by(AuditEvent.id.desc()).offset(page.offset).limit(page.per_page)).all()
    return render_template(
        "mod/log.html",
        events=events,
        page=page,
        actions=audit_actions(),
        groups=moderated_groups(current_user),
        action=action,
        group_id=group_id,
        actor_id=actor_id,
        action_label=action_label,
        reason_label=reason_label,
        change_lines=change_lines,
    )
