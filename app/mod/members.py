"""A member seen by the moderation team: their history, and suspending or reinstating them."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.extensions import db
from app.mod import bp
from app.mod.forms import (
    ReasonForm,
    ResetTwoFactorForm,
    SuspendForm,
)
from app.mod.groups import member_page_url, scope_form
from app.mod.queries import (
    member_history,
)
from app.models import Member
from app.permissions import STAFF, TEAM, access
from app.services import ServiceError
from app.services.members.trust import is_trusted
from app.services.members.two_factor import admin_reset
from app.services.moderation.suspensions import lift_suspension, suspend
from app.web.forms import apply_service_error, run_and_flash
from app.web.reauth import recent_confirmation


def _member_or_404(member_id: int) -> Member:
    member = db.session.get(Member, member_id)
    if member is None:
        abort(404)
    return member


def _member_page(member: Member, form: SuspendForm, reset_form: ResetTwoFactorForm | None = None) -> str:
    """The member as the team sees them, with the suspension form as it stands (empty, or refused with its errors)."""
    return render_template(
        "mod/member.html",
        scope_form=scope_form(member),
        member=member,
        history=member_history(member),
        trusted=is_trusted(member),
        form=form,
        lift_form=ReasonForm(),
        reset_form=reset_form or ResetTwoFactorForm(formdata=None),
        has_second_factor=permissions.has_second_factor(member),
    )


@bp.route("/members/<int:member_id>", methods=["GET"])
@access(TEAM)
def member(member_id: int):  # noqa: ANN201
    permissions.ensure(current_user, "view_queue", None)
    return _member_page(_member_or_404(member_id), SuspendForm())


@bp.route("/members/<int:member_id>/suspend", methods=["POST"])
@access(TEAM)
@recent_confirmation(form_page=member_page_url)
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
            flash(_("%(name)s is suspended.", name=member.display_name), "success")
            return redirect(url_for(".member", member_id=member.id))
    return _member_page(member, form), 422


@bp.route("/members/<int:member_id>/unsuspend", methods=["POST"])
@access(TEAM)
def unsuspend_member(member_id: int):  # noqa: ANN201
    member = _member_or_404(member_id)
    form = ReasonForm()
    form.validate_on_submit()
    run_and_flash(lambda: lift_suspension(current_user, member, form.reason.data or ""), _("Suspension lifted."))
    return redirect(url_for(".member", member_id=member.id))


@bp.route("/members/<int:member_id>/two-factor/reset", methods=["POST"])
@access(STAFF)
def reset_two_factor(member_id: int):  # noqa: ANN201
    """An admin turns off a member's second factor, for one who lost their phone and recovery codes."""
    member = _member_or_404(member_id)
    permissions.ensure(current_user, "reset_two_factor", member)
    form = ResetTwoFactorForm()
    if form.validate_on_submit():
        try:
            admin_reset(current_user, member, form.reason.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("%(name)s's two-factor sign-in is reset. We e-mailed them.", name=member.display_name), "success")
            return redirect(url_for(".member", member_id=member.id))
    return _member_page(member, SuspendForm(formdata=None), form), 422
