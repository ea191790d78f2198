"""What is new since the member was last here: /unread, and "Mark all as read" there and per group."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.community.queries import group_or_404
from app.community.reading import count_unread_topics, unread_topics
from app.permissions import SIGNED_IN, access
from app.reading import bp
from app.services.community.reading import mark_all_read, mark_group_read
from app.web.page_cache import renew_read_stamp
from app.web.pagination import make_page

UNREAD_PER_PAGE = 30


@bp.route("/unread")
@access(SIGNED_IN)
def unread():  # noqa: ANN201
    """Topics with posts the member has not seen, in their groups and the topics they follow, newest first."""
    page = make_page(count_unread_topics(current_user), UNREAD_PER_PAGE)
    topics = unread_topics(current_user, page.offset, page.per_page)
    return render_template("reading/unread.html", topics=topics, page=page)


@bp.route("/unread/mark-read", methods=["POST"])
@access(SIGNED_IN)
def mark_read():  # noqa: ANN201
    mark_all_read(current_user)
    renew_read_stamp()
    flash(_("Everything is marked as read."), "success")
    return redirect(url_for(".unread"))


@bp.route("/g/<slug>/mark-read", methods=["POST"])
@access(SIGNED_IN)
def mark_group(slug: str):  # noqa: ANN201
    group = group_or_404(slug)
    mark_group_read(current_user, group)
    renew_read_stamp()
    flash(_("All topics in %(group)s are marked as read.", group=group.name), "success")
    return redirect(url_for("community.group", slug=group.slug))
