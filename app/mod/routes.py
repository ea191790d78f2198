"""The moderators' area: review queue, decisions, topic and member actions, watched words, audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app import permissions
from app.community.queries import post_or_404, topic_or_404
from app.extensions import db
from app.mod import bp
from app.mod.forms import (
    BulkForm,
    DecisionForm,
    EditApproveForm,
    MoveForm,
    ReasonForm,
    SettingsForm,
    SuspendForm,
    WatchedWordForm,
)
from app.mod.groups import scope_form
from app.mod.queries import (
    audit_actions,
    audit_query,
    member_histories,
    member_history,
    moderated_groups,
    open_items_query,
    queue_page,
    trusted_ids,
)
from app.models import ContentStatus, Group, Member
from app.models.moderation import FLAG_REASON_LABELS, AuditEvent, ReviewItem, ReviewKind, WatchedWord
from app.permissions import STAFF, TEAM, access
from app.services import ServiceError
from app.services.community.topic_actions import move_topic, set_locked, set_post_hidden, set_topic_visibility
from app.services.members.trust import is_trusted
from app.services.moderation.queue import Decision, decide, decide_many
from app.services.moderation.settings import INT_SETTINGS, change_settings, get_int, get_text
from app.services.moderation.suspensions import lift_suspension, suspend
from app.services.moderation.watched_words import add_watched_word, remove_watched_word
from app.web.forms import apply_service_error
from app.web.pagination import make_page

QUEUE_PAGE_SIZE = 20
LOG_PAGE_SIZE = 50


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


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
    )


def _item_or_404(item_id: int) -> ReviewItem:
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        abort(404)
    permissions.ensure(current_user, "moderate", item.group)
    return item


@bp.route("/items/<int:item_id>/decide", methods=["POST"])
@access(TEAM)
def decide_item(item_id: int):  # noqa: ANN201
    form = DecisionForm()
    if not form.validate_on_submit():
        flash("Choose a decision.", "error")
        return redirect(url_for(".queue"))
    note = " ".join(part for part in (form.guideline.data, form.note.data) if part and part.strip())
    if form.guideline.data and form.note.data:
        note = f"{form.guideline.data}: {form.note.data.strip()}"
    version = int(form.version.data) if (form.version.data or "").isdigit() else None
    try:
        decide(current_user, item_id, Decision(form.action.data, note), seen_version=version)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"Decision recorded: {form.action.data}.", "success")
    return redirect(url_for(".queue", group=_int_arg("group"), kind=request.args.get("kind") or None))


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@access(TEAM)
def edit_item(item_id: int):  # noqa: ANN201
    item = _item_or_404(item_id)
    form = EditApproveForm(data={"body": item.post.raw, "version": str(item.version)})
    if form.validate_on_submit():
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        try:
            decide(
                current_user,
                item.id,
                Decision("approve", form.note.data or "edited before approval", form.body.data or ""),
                seen_version=version,
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash("Edited and approved.", "success")
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
        flash("Select at least one item.", "error")
        return redirect(url_for(".queue"))
    done, problems = decide_many(current_user, ids, Decision(form.action.data or "", form.note.data or ""))
    if done:
        flash(f"{done} item{'s' if done != 1 else ''} decided.", "success")
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
    )


@bp.route("/topics/<int:topic_id>/<any(lock, unlock):verb>", methods=["POST"])
@access(TEAM)
def lock_topic(topic_id: int, verb: str):  # noqa: ANN201
    topic = topic_or_404(topic_id)
    form = ReasonForm()
    form.validate_on_submit()
    _run(lambda: set_locked(current_user, topic, verb == "lock", form.reason.data or ""), f"Topic {verb}ed.")
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
            form.group.errors = ["Choose a group."]
        else:
            try:
                move_topic(current_user, topic, destination, form.reason.data or "")
            except ServiceError as error:
                apply_service_error(form, error)
            else:
                flash(f"Topic moved to {destination.name}.", "success")
                return redirect(url_for("community.topic", topic_id=topic.id, slug=topic.slug))
    return render_template("mod/move.html", topic=topic, form=form), 422 if form.errors or form.form_errors else 200


@bp.route("/topics/<int:topic_id>/<any(hide, restore, delete):verb>", methods=["GET", "POST"])
@access(TEAM)
def topic_visibility(topic_id: int, verb: str):  # noqa: ANN201
    topic = topic_or_404(topic_id)
    permissions.ensure(current_user, "moderate", topic.group)
    status = {"hide": ContentStatus.HIDDEN, "restore": ContentStatus.VISIBLE, "delete": ContentStatus.DELETED}[verb]
    return _reason_form(
        verb,
        what=f'the topic "{topic.title}"',
        action=url_for(".topic_visibility", topic_id=topic.id, verb=verb),
        act=lambda reason: set_topic_visibility(current_user, topic, status, reason),
        done=f"Topic {'restored' if verb == 'restore' else verb + 'd'}.",
        then=url_for("community.topic", topic_id=topic.id, slug=topic.slug),
    )


@bp.route("/posts/<int:post_id>/<any(hide, restore):verb>", methods=["GET", "POST"])
@access(TEAM)
def post_visibility(post_id: int, verb: str):  # noqa: ANN201
    post = post_or_404(post_id)
    permissions.ensure(current_user, "moderate", post.topic.group)
    return _reason_form(
        verb,
        what="this post",
        action=url_for(".post_visibility", post_id=post.id, verb=verb),
        act=lambda reason: set_post_hidden(current_user, post, verb == "hide", reason),
        done=f"Post {'hidden' if verb == 'hide' else 'restored'}.",
        then=url_for("community.post", post_id=post.id),
    )


def _reason_form(verb: str, *, what: str, action: str, act: Callable[[str], object], done: str, then: str):  # noqa: ANN202
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


def _member_or_404(member_id: int) -> Member:
    member = db.session.get(Member, member_id)
    if member is None:
        abort(404)
    return member


@bp.route("/members/<int:member_id>", methods=["GET"])
@access(TEAM)
def member(member_id: int):  # noqa: ANN201
    permissions.ensure(current_user, "view_queue", None)
    member = _member_or_404(member_id)
    return render_template(
        "mod/member.html",
        scope_form=scope_form(member),
        member=member,
        history=member_history(member),
        trusted=is_trusted(member),
        form=SuspendForm(),
        lift_form=ReasonForm(),
    )


@bp.route("/members/<int:member_id>/suspend", methods=["POST"])
@access(TEAM)
def suspend_member(member_id: int):  # noqa: ANN201
    member = _member_or_404(member_id)
    permissions.ensure(current_user, "act_on_member", member)
    form = SuspendForm()
    if form.validate_on_submit():
        until = datetime.combine(form.until.data, time.max, tzinfo=UTC) if form.until.data else None
        try:
            suspend(current_user, member, form.reason.data or "", until)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(f"{member.display_name} is suspended.", "success")
            return redirect(url_for(".member", member_id=member.id))
    return render_template(
        "mod/member.html",
        scope_form=scope_form(member),
        member=member,
        history=member_history(member),
        trusted=is_trusted(member),
        form=form,
        lift_form=ReasonForm(),
    ), 422


@bp.route("/members/<int:member_id>/unsuspend", methods=["POST"])
@access(TEAM)
def unsuspend_member(member_id: int):  # noqa: ANN201
    member = _member_or_404(member_id)
    form = ReasonForm()
    form.validate_on_submit()
    _run(lambda: lift_suspension(current_user, member, form.reason.data or ""), "Suspension lifted.")
    return redirect(url_for(".member", member_id=member.id))


@bp.route("/watched-words", methods=["GET", "POST"])
@access(TEAM)
def watched_words():  # noqa: ANN201
    permissions.ensure(current_user, "manage_watched_words", None)
    form = WatchedWordForm()
    if form.validate_on_submit():
        try:
            add_watched_word(current_user, form.phrase.data or "", form.action.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash("Added to the watched words.", "success")
            return redirect(url_for(".watched_words"))
    words = db.session.scalars(select(WatchedWord).order_by(WatchedWord.phrase_key)).all()
    status = 422 if form.errors or form.form_errors else 200
    return render_template("mod/watched_words.html", form=form, words=words), status


@bp.route("/watched-words/<int:word_id>/delete", methods=["POST"])
@access(TEAM)
def delete_watched_word(word_id: int):  # noqa: ANN201
    permissions.ensure(current_user, "manage_watched_words", None)
    word = db.session.get(WatchedWord, word_id)
    if word is None:
        abort(404)
    remove_watched_word(current_user, word)
    flash("Removed from the watched words.", "success")
    return redirect(url_for(".watched_words"))


@bp.route("/settings", methods=["GET", "POST"])
@access(STAFF)
def settings():  # noqa: ANN201
    permissions.ensure(current_user, "edit_settings", None)
    current = {key: get_int(key) for key in INT_SETTINGS} | {"crisis_panel": get_text("crisis_panel")}
    form = SettingsForm(data=current)
    if form.validate_on_submit():
        submitted = {key: "" if getattr(form, key).data is None else str(getattr(form, key).data) for key in current}
        try:
            change_settings(current_user, submitted)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash("Settings saved.", "success")
            return redirect(url_for(".settings"))
    return render_template("mod/settings.html", form=form), 422 if form.errors or form.form_errors else 200


def _run(action, success: str) -> None:  # noqa: ANN001
    """Run a one-button moderation action and flash its outcome."""
    try:
        action()
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(success, "success")
