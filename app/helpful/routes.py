"""One-button actions on a reply: mark it helpful (and undo), recommend it for staff (and withdraw)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import permissions
from app.community.queries import count_topic_posts, post_or_404
from app.extensions import limiter
from app.helpful import bp
from app.models import Post
from app.permissions import SIGNED_IN, access
from app.services import ServiceError
from app.services.community.helpful import mark_helpful, recommend, unmark_helpful, unrecommend

ACTIONS: dict[str, tuple[Callable, LazyString]] = {
    "mark": (mark_helpful, _l("Thank you: the author will see their reply helped.")),
    "unmark": (unmark_helpful, _l("Your helpful mark is removed.")),
    "recommend": (recommend, _l("This reply is now recommended by staff.")),
    "unrecommend": (unrecommend, _l("The recommendation is withdrawn.")),
}


def _act(post_id: int, action: str):  # noqa: ANN202
    """Run the action, say how it went, and go back to the reply where the reader left it."""
    post = post_or_404(post_id)
    permissions.ensure_visible(current_user, post)
    service, success = ACTIONS[action]
    try:
        service(current_user, post)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(str(success), "success")
    return redirect(_back_to(post))


def _back_to(post: Post) -> str:
    """The reply on the page the reader was reading, in the order they were reading it."""
    args: dict[str, Any] = {}  # query arguments for url_for()
    if request.args.get("order") == "helpful":  # the form passes the reader's order and page along
        page = request.args.get("page", "")
        args = {
            "order": "helpful",
            **({"page": int(page)} if page.isascii() and page.isdigit() and len(page) < 7 else {}),
        }
    else:
        page_number = (
            count_topic_posts(post.topic, current_user, before_id=post.id) // current_app.config["POSTS_PER_PAGE"]
        )
        args = {"page": page_number + 1} if page_number else {}
    return url_for("community.topic", topic_id=post.topic_id, slug=post.topic.slug, _anchor=f"p{post.id}", **args)


@bp.route("/p/<int:post_id>/helpful", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit("60 per hour")
def mark(post_id: int):  # noqa: ANN201
    return _act(post_id, "mark")


@bp.route("/p/<int:post_id>/helpful/undo", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit("60 per hour")
def unmark(post_id: int):  # noqa: ANN201
    return _act(post_id, "unmark")


@bp.route("/p/<int:post_id>/recommend", methods=["POST"], endpoint="recommend")
@access(SIGNED_IN)
def recommend_reply(post_id: int):  # noqa: ANN201
    return _act(post_id, "recommend")


@bp.route("/p/<int:post_id>/recommend/undo", methods=["POST"], endpoint="unrecommend")
@access(SIGNED_IN)
def unrecommend_reply(post_id: int):  # noqa: ANN201
    return _act(post_id, "unrecommend")
