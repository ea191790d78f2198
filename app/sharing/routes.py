"""Share cards, the oEmbed provider and the embeddable card: public, and only for what may leave the site.

Each answers 404 for anything a visitor could not read here, or whose author did not agree, so none of them tells
whether a pending, hidden or members-only post exists.
"""

from __future__ import annotations

from flask import Response, abort, current_app, jsonify, render_template, request

from app import permissions
from app.community.queries import opening_post_id, post_or_404
from app.extensions import limiter
from app.models import Post
from app.permissions import PUBLIC, access
from app.services.sharing.card import card_content, card_etag, draw_card
from app.services.sharing.text import excerpt
from app.sharing import bp
from app.sharing.oembed import post_reference, rich_embed

CARD_MAX_AGE = 3600
EMBED_TEXT_CHARS = 600
# Drawing a card costs a little CPU; previews fetch one per link, people far fewer.
CARD_LIMIT = "120 per minute"


def _leaving(post_id: int, action: str) -> Post:
    """The post, when `action` lets it leave the site; 404 otherwise, whoever asks."""
    post = post_or_404(post_id)
    if not permissions.can(None, action, post):
        abort(404)
    return post


@bp.route("/p/<int:post_id>/card.png")
@access(PUBLIC)
@limiter.limit(CARD_LIMIT)
def card(post_id: int):  # noqa: ANN201
    post = _leaving(post_id, "share_card")
    content = card_content(post, current_app.config["SITE_NAME"])
    response = Response(mimetype="image/png")
    etag = card_etag(content)
    response.set_etag(etag)
    # Only public posts get here, so shared caches (and link-preview services) may keep the picture.
    response.cache_control.public = True
    response.cache_control.max_age = CARD_MAX_AGE
    if request.if_none_match.contains(etag):
        response.status_code = 304
        return response
    response.set_data(draw_card(content))
    return response


@bp.route("/embed/p/<int:post_id>")
@access(PUBLIC)
def embed(post_id: int):  # noqa: ANN201
    post = _leaving(post_id, "embed_post")
    credited = permissions.can(None, "credit_author", post)
    return render_template(
        "sharing/embed.html",
        post=post,
        text=excerpt(post.cooked, EMBED_TEXT_CHARS),
        author=post.author.display_name if credited and post.author else None,
    )


@bp.route("/oembed")
@access(PUBLIC)
def oembed():  # noqa: ANN201
    if request.args.get("format", "json") != "json":
        abort(501)  # the spec's answer for a format we do not offer (we speak JSON only)
    reference = post_reference(request.args.get("url", ""))
    if reference is None:
        abort(404)
    kind, ident = reference
    post = _leaving(opening_post_id(ident) if kind == "topic" else ident, "embed_post")
    response = jsonify(rich_embed(post, current_app.config["SITE_NAME"]))
    # What it says is what any visitor could find, so any site's script may read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = CARD_MAX_AGE
    return response
