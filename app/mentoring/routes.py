"""/mentor: the welcome queue and the check-in list, with their one-button claims and marks (thin views)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.community.queries import post_or_404
from app.mentoring import bp
from app.mentoring.forms import CHECK_IN_LABELS, CheckInForm
from app.models import Post
from app.models.base import utcnow
from app.permissions import MENTORING, access
from app.services import ServiceError
from app.services.mentoring.check_ins import check_in, members_to_check_in
from app.services.mentoring.welcomes import CLAIM_LAPSE, claim, count_queue, mark_welcomed, queue_page
from app.web.pagination import make_page

QUEUE_PAGE_SIZE = 20


def _page(status: int = 200, problems: dict[int, str] | None = None):  # noqa: ANN202
    """The mentors' page; `problems` puts a refused check-in's reason next to that member's choice."""
    permissions.ensure(current_user, "mentor", None)
    now = utcnow()
    page = make_page(count_queue(current_user, now), QUEUE_PAGE_SIZE)
    to_welcome = queue_page(current_user, now, page.offset, page.per_page)
    absent = members_to_check_in(current_user, now)
    body = render_template(
        "mentoring/index.html",
        to_welcome=to_welcome,
        page=page,
        absent=absent,
        problems=problems or {},
        now=now,
        lapse=CLAIM_LAPSE,
        methods=CHECK_IN_LABELS,
        checkin_days=current_app.config["CHECKIN_DAYS"],
    )
    return body, status


def _post(post_id: int) -> Post:
    """The post, or 404 when the mentor may not read it (its existence is not revealed)."""
    post = post_or_404(post_id)
    permissions.ensure_visible(current_user, post)
    return post


@bp.route("/mentor")
@access(MENTORING)
def index():  # noqa: ANN201
    return _page()


@bp.route("/mentor/posts/<int:post_id>/claim", methods=["POST"])
@access(MENTORING)
def claim_post(post_id: int):  # noqa: ANN201
    post = _post(post_id)
    try:
        claim(current_user, post)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(_("Thank you: the other mentors can see you are welcoming this member."), "success")
    return redirect(url_for(".index", _anchor=f"w{post_id}"))


@bp.route("/mentor/posts/<int:post_id>/welcomed", methods=["POST"])
@access(MENTORING)
def welcomed(post_id: int):  # noqa: ANN201
    post = _post(post_id)
    try:
        mark_welcomed(current_user, post)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(_("Marked as welcomed. Thank you for making them feel at home."), "success")
    return redirect(url_for(".index"))


@bp.route("/mentor/check-ins/<int:post_id>", methods=["POST"])
@access(MENTORING)
def checked_in(post_id: int):  # noqa: ANN201
    permissions.ensure(current_user, "mentor", None)
    form = CheckInForm()  # its CSRF token was checked before the view (app.extensions.csrf)
    try:
        check_in(current_user, post_id, form.how.data)
    except ServiceError as error:
        if error.field == "how":
            return _page(422, {post_id: error.message})
        flash(error.message, "error")
    else:
        flash(_("Marked as checked in. Thank you for reaching out."), "success")
    return redirect(url_for(".index", _anchor="check-ins"))
