"""Staff pages for condition groups and moderators' groups (in the moderation area's blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.mod import bp
from app.mod.forms import GroupForm, ModeratorGroupsForm
from app.models import Group, Member, ModeratorScope
from app.permissions import STAFF, access
from app.services import ServiceError
from app.services.community.group_admin import save_group, set_moderator_scope
from app.web.forms import apply_service_error
from app.web.reauth import recent_confirmation


@bp.route("/groups", methods=["GET", "POST"])
@access(STAFF)
def groups():  # noqa: ANN201
    """All groups, and a form to create one."""
    permissions.ensure(current_user, "manage_groups", None)
    form = GroupForm()
    if form.validate_on_submit() and _save(form, None):
        return redirect(url_for(".groups"))
    all_groups = db.session.scalars(select(Group).order_by(Group.position, Group.name)).all()
    status = 422 if form.errors or form.form_errors else 200
    return render_template("mod/groups.html", groups=all_groups, form=form), status


@bp.route("/groups/<int:group_id>", methods=["GET", "POST"])
@access(STAFF)
def edit_group(group_id: int):  # noqa: ANN201
    permissions.ensure(current_user, "manage_groups", None)
    group = db.session.get(Group, group_id) if group_id < 2**31 else None
    if group is None:
        abort(404)
    form = GroupForm(obj=group)
    if form.validate_on_submit() and _save(form, group):
        return redirect(url_for(".groups"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("mod/edit_group.html", group=group, form=form), status


def _save(form: GroupForm, group: Group | None) -> bool:
    position = (form.position.data or "0").strip()
    try:
        saved = save_group(
            current_user,
            group,
            name=form.name.data or "",
            slug=form.slug.data or "",
            description=form.description.data or "",
            position=int(position) if position.isdigit() else -1,  # refused by the service with the rest
            archived=bool(form.archived.data),
            review_all_posts=bool(form.review_all_posts.data),
            visibility=form.visibility.data or "",
            picture_policy=form.picture_policy.data or "",
        )
    except ServiceError as error:
        db.session.rollback()
        apply_service_error(form, error)
        return False
    flash(_("%(group)s is saved.", group=saved.name), "success")
    return True


def member_page_url(member_id: int) -> str:
    """The team's page about a member, where its forms live: where a sensitive action returns after confirming."""
    return url_for("mod.member", member_id=member_id)


@bp.route("/members/<int:member_id>/groups", methods=["POST"])
@access(STAFF)
@recent_confirmation(form_page=member_page_url)
def moderator_groups(member_id: int):  # noqa: ANN201
    """Limit a moderator to some groups (or none: every group)."""
    moderator = db.session.get(Member, member_id) if member_id < 2**31 else None
    if moderator is None:
        abort(404)
    form = ModeratorGroupsForm()
    form.validate_on_submit()
    try:
        set_moderator_scope(current_user, moderator, [g for g in (form.groups.data or []) if isinstance(g, int)])
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(_("The moderator's groups are saved."), "success")
    return redirect(url_for(".member", member_id=moderator.id))


def scope_form(moderator: Member) -> ModeratorGroupsForm:
    """The form on a moderator's page, with their current groups ticked."""
    current = list(db.session.scalars(select(ModeratorScope.group_id).where(ModeratorScope.member_id == moderator.id)))
    form = ModeratorGroupsForm(data={"groups": current})
    form.groups.choices = [(g.id, g.name) for g in db.session.scalars(select(Group).order_by(Group.position))]
    return form
