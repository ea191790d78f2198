"""Managing the resource library: create, edit, reorder, archive, and feature a member's post (staff only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import permissions
from app.community.queries import post_or_404
from app.extensions import db
from app.models import Group, Resource
from app.permissions import STAFF, access
from app.resources.queries import resource_or_404, with_details
from app.services import ServiceError
from app.services.content.resources import (
    ResourceInput,
    create_resource,
    feature_post,
    move_resource,
    set_archived,
    update_resource,
)
from app.staff import bp
from app.staff.forms import ResourceForm
from app.web import drafts
from app.web.drafts import composer
from app.web.forms import apply_service_error
from app.web.pictures import removed_ids, upload_limit, uploads_from


def _form(resource: Resource | None = None) -> ResourceForm:
    data = None
    if resource is not None:
        data = {
            "title": resource.title,
            "description": resource.description,
            "kind": resource.kind.value,
            "url": resource.url or "",
            "body": resource.raw or "",
            "groups": [g.id for g in resource.groups],
        }
    form = ResourceForm(data=data)
    drafts.restore(form)
    form.groups.choices = [
        (g.id, g.name) for g in db.session.scalars(select(Group).order_by(Group.position, Group.name))
    ]
    return form


def _input(form: ResourceForm) -> ResourceInput:
    return ResourceInput(
        title=form.title.data or "",
        description=form.description.data or "",
        kind=form.kind.data or "",
        url=form.url.data or "",
        body=form.body.data or "",
        group_ids=[i for i in (form.groups.data or []) if isinstance(i, int)],
        pictures=uploads_from(form),
        remove_pictures=removed_ids(form),
    )


@bp.route("/resources")
@access(STAFF)
def resources():  # noqa: ANN201
    permissions.ensure(current_user, "manage_resources", None)
    entries = list(db.session.scalars(with_details(select(Resource).order_by(Resource.position, Resource.id))).unique())
    return render_template(
        "staff/resources.html",
        active=[r for r in entries if not r.archived],
        archived=[r for r in entries if r.archived],
    )


@bp.route("/resources/new", methods=["GET", "POST"])
@access(STAFF)
@composer("title", "description", "kind", "url", "body")
@upload_limit
def new_resource():  # noqa: ANN201
    permissions.ensure(current_user, "manage_resources", None)
    form = _form()
    if form.validate_on_submit():
        try:
            resource = create_resource(current_user, _input(form))
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Added to the resource library."), "success")
            return redirect(url_for("resources.show", resource_id=resource.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("staff/resource_form.html", form=form, resource=None), status


@bp.route("/resources/<int:resource_id>/edit", methods=["GET", "POST"])
@access(STAFF)
@composer("title", "description", "kind", "url", "body")
@upload_limit
def edit_resource(resource_id: int):  # noqa: ANN201
    permissions.ensure(current_user, "manage_resources", None)
    resource = resource_or_404(resource_id, include_hidden=True)
    form = _form(resource)
    if form.validate_on_submit():
        try:
            update_resource(current_user, resource, _input(form))
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("resources.show", resource_id=resource.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("staff/resource_form.html", form=form, resource=resource), status


@bp.route("/resources/<int:resource_id>/<any(up, down):direction>", methods=["POST"], endpoint="move_resource")
@access(STAFF)
def move_resource_view(resource_id: int, direction: str):  # noqa: ANN201
    resource = resource_or_404(resource_id, include_hidden=True)
    try:
        move_resource(current_user, resource, direction)
    except ServiceError as error:
        flash(error.message, "error")
    return redirect(url_for(".resources"))


@bp.route("/resources/<int:resource_id>/<any(archive, restore):verb>", methods=["POST"])
@access(STAFF)
def archive_resource(resource_id: int, verb: str):  # noqa: ANN201
    resource = resource_or_404(resource_id, include_hidden=True)
    try:
        set_archived(current_user, resource, verb == "archive")
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(
            _("Archived: members no longer see it.") if verb == "archive" else _("Restored at the end of the list."),
            "success",
        )
    return redirect(url_for(".resources"))


@bp.route("/posts/<int:post_id>/feature", methods=["POST"], endpoint="feature_post")
@access(STAFF)
def feature_post_view(post_id: int):  # noqa: ANN201
    post = post_or_404(post_id)
    permissions.ensure_visible(current_user, post)
    try:
        resource = feature_post(current_user, post)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("community.post", post_id=post.id))
    flash(_("Added to the resource library, crediting its author. Add a description if you like."), "success")
    return redirect(url_for(".edit_resource", resource_id=resource.id))
