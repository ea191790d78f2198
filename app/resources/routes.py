"""The public resource library: the list, filtered by group or kind, and each entry's page."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from app import permissions
from app.extensions import db
from app.models import Group
from app.models.resources import RESOURCE_KIND_LABELS
from app.permissions import PUBLIC, access, readable_group_filter
from app.resources import bp
from app.resources.queries import library_query, resource_or_404, with_details
from app.web.pagination import make_page

PAGE_SIZE = 50


@bp.route("")
@access(PUBLIC)
def index():  # noqa: ANN201
    viewer = current_user._get_current_object() if current_user.is_authenticated else None
    readable = select(Group).where(readable_group_filter(viewer))
    groups = list(db.session.scalars(readable.order_by(Group.archived, Group.position, Group.name)))
    group = next((g for g in groups if g.slug == request.args.get("group")), None)
    kind = request.args.get("kind") if request.args.get("kind") in RESOURCE_KIND_LABELS else None
    query = library_query(group, kind, viewer)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = make_page(total, PAGE_SIZE)
    resources = db.session.scalars(with_details(query).offset(page.offset).limit(page.per_page)).unique().all()
    return render_template(
        "resources/index.html",
        resources=resources,
        page=page,
        groups=groups,
        group=group,
        kind=kind,
        kinds=RESOURCE_KIND_LABELS,
    )


@bp.route("/<int:resource_id>")
@access(PUBLIC)
def show(resource_id: int):  # noqa: ANN201
    staff = permissions.can(current_user, "manage_resources", None)
    viewer = current_user._get_current_object() if current_user.is_authenticated else None
    resource = resource_or_404(resource_id, include_hidden=staff, viewer=viewer)
    return render_template("resources/show.html", resource=resource)
