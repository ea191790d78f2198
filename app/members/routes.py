"""Member profiles and notifications."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app import permissions
from app.community.queries import member_by_name_or_404, recent_public_posts
from app.extensions import db
from app.members import bp
from app.models import Notification
from app.permissions import PUBLIC, SIGNED_IN, access
from app.services.members.profiles import profile_groups
from app.services.notify.notifications import mark_all_read, mark_read
from app.web.pagination import make_page

NOTIFICATIONS_PER_PAGE = 30


@bp.route("/u/<path:name>")
@access(PUBLIC)  # the view asks "view_profile": some profiles are for signed-in members only
def profile(name: str):  # noqa: ANN201
    """A member's profile: bio, groups and recent posts, each only as far as the viewer may see them."""
    member = member_by_name_or_404(name)
    viewer = current_user._get_current_object() if current_user.is_authenticated else None
    reason = permissions.why_not(viewer, "view_profile", member)
    if reason == permissions.MEMBERS_ONLY_PROFILE:
        permissions.deny(reason)  # the error page offers a visitor to sign in
    if reason is not None:
        abort(404)
    return render_template(
        "members/profile.html",
        member=member,
        groups=profile_groups(member, viewer),
        posts=recent_public_posts(member, viewer),
    )


@bp.route("/notifications")
@access(SIGNED_IN)
def notifications():  # noqa: ANN201
    mine = select(Notification).where(Notification.member_id == current_user.id)
    total = db.session.scalar(mine.with_only_columns(func.count()).order_by(None)) or 0
    page = make_page(total, NOTIFICATIONS_PER_PAGE)
    items = db.session.scalars(mine.order_by(Notification.id.desc()).offset(page.offset).limit(page.per_page)).all()
    unread = any(n.read_at is None for n in items)
    return render_template("members/notifications.html", notifications=items, page=page, unread=unread)


def _own_notification_or_404(notification_id: int) -> Notification:
    """Another member's notification is answered exactly like a missing one."""
    notification = db.session.get(Notification, notification_id) if notification_id < 2**31 else None
    if notification is None or notification.member_id != current_user.id:
        abort(404)
    return notification


@bp.route("/notifications/<int:notification_id>/open")
@access(SIGNED_IN)
def open_notification(notification_id: int):  # noqa: ANN201
    """Mark as read and follow the link (always a path inside this site: we wrote it)."""
    notification = _own_notification_or_404(notification_id)
    mark_read(notification)
    link = notification.link if notification.link.startswith("/") and not notification.link.startswith("//") else ""
    return redirect(link or url_for(".notifications"))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@access(SIGNED_IN)
def read_notification(notification_id: int):  # noqa: ANN201
    mark_read(_own_notification_or_404(notification_id))
    return redirect(url_for(".notifications"))


@bp.route("/notifications/read-all", methods=["POST"])
@access(SIGNED_IN)
def read_all_notifications():  # noqa: ANN201
    mark_all_read(current_user)
    return redirect(url_for(".notifications"))
