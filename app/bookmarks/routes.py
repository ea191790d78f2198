"""Bookmark buttons on topics and posts (one-button POSTs), the member's list, and a bookmark's own page."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.bookmarks import bp
from app.bookmarks.forms import BookmarkForm
from app.bookmarks.queries import count_bookmarks, member_bookmarks, own_bookmark_or_404
from app.community.queries import post_or_404, topic_or_404
from app.models import Post, Topic
from app.permissions import SIGNED_IN, access
from app.services import ServiceError
from app.services.bookmarks.bookmarks import (
    add_bookmark,
    delete_bookmark,
    reminder_local,
    remove_bookmark,
    update_bookmark,
)
from app.services.members.language import recipient_timezone
from app.web.forms import apply_service_error
from app.web.pagination import make_page


@bp.route("/bookmarks")
@access(SIGNED_IN)
def index():  # noqa: ANN201
    page = make_page(count_bookmarks(current_user), current_app.config["TOPICS_PER_PAGE"])
    bookmarks = member_bookmarks(current_user, page.offset, page.per_page)
    return render_template("bookmarks/index.html", bookmarks=bookmarks, page=page)


def _topic(topic_id: int) -> Topic:
    topic = topic_or_404(topic_id)
    permissions.ensure_visible(current_user, topic)
    return topic


def _post(post_id: int) -> Post:
    post = post_or_404(post_id)
    permissions.ensure_visible(current_user, post)
    return post


def _back(target: Topic | Post):  # noqa: ANN202
    """Back where the button was: the topic's page, or the post in it."""
    if isinstance(target, Post):
        return redirect(url_for("community.post", post_id=target.id))
    return redirect(url_for("community.topic", topic_id=target.id, slug=target.slug))


@bp.route("/t/<int:topic_id>/bookmark", methods=["POST"])
@access(SIGNED_IN)
def bookmark_topic(topic_id: int):  # noqa: ANN201
    topic = _topic(topic_id)
    add_bookmark(current_user, topic)
    flash(_("Topic bookmarked. Your bookmarks page keeps it, with room for a note and a reminder."), "success")
    return _back(topic)


@bp.route("/t/<int:topic_id>/unbookmark", methods=["POST"])
@access(SIGNED_IN)
def unbookmark_topic(topic_id: int):  # noqa: ANN201
    topic = _topic(topic_id)
    remove_bookmark(current_user, topic)
    flash(_("Bookmark removed."), "info")
    return _back(topic)


@bp.route("/p/<int:post_id>/bookmark", methods=["POST"])
@access(SIGNED_IN)
def bookmark_post(post_id: int):  # noqa: ANN201
    post = _post(post_id)
    add_bookmark(current_user, post)
    flash(_("Post bookmarked. Your bookmarks page keeps it, with room for a note and a reminder."), "success")
    return _back(post)


@bp.route("/p/<int:post_id>/unbookmark", methods=["POST"])
@access(SIGNED_IN)
def unbookmark_post(post_id: int):  # noqa: ANN201
    post = _post(post_id)
    remove_bookmark(current_user, post)
    flash(_("Bookmark removed."), "info")
    return _back(post)


@bp.route("/bookmarks/<int:bookmark_id>", methods=["GET", "POST"])
@access(SIGNED_IN)
def edit(bookmark_id: int):  # noqa: ANN201
    bookmark = own_bookmark_or_404(current_user, bookmark_id)
    form = BookmarkForm(data={"note": bookmark.note, "remind_at": reminder_local(current_user, bookmark)})
    zone = recipient_timezone(current_user)
    form.remind_at.description = _("Your time zone: %(zone)s. Leave it empty for no reminder.", zone=zone)
    if form.validate_on_submit():
        try:
            update_bookmark(current_user, bookmark, note=form.note.data or "", remind_local=form.remind_at.data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Your bookmark is saved."), "success")
            return redirect(url_for(".index"))
    status = 422 if form.errors or form.form_errors else 200
    available = permissions.can(current_user, "open_bookmark", bookmark)
    return render_template("bookmarks/edit.html", bookmark=bookmark, form=form, available=available), status


@bp.route("/bookmarks/<int:bookmark_id>/delete", methods=["POST"])
@access(SIGNED_IN)
def delete(bookmark_id: int):  # noqa: ANN201
    bookmark = own_bookmark_or_404(current_user, bookmark_id)
    delete_bookmark(current_user, bookmark)
    flash(_("Bookmark removed."), "info")
    return redirect(url_for(".index"))
