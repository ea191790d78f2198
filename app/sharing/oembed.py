"""oEmbed (https://oembed.com): which of our posts a URL names, and the `rich` answer describing its embed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from app import permissions
from app.models import Post, ProfileVisibility
from app.services.sharing.card import HEIGHT as CARD_HEIGHT
from app.services.sharing.card import WIDTH as CARD_WIDTH

EMBED_WIDTH, EMBED_HEIGHT = 550, 320
MIN_SIZE = 200
CACHE_AGE = 3600


def _our_hosts() -> set[str]:
    """The hosts whose URLs are ours: the one asked, and the configured public address."""
    hosts = {request.host.lower()}
    if base := current_app.config.get("BASE_URL"):
        hosts.add(urlsplit(base).netloc.lower())
    return hosts


def post_reference(url: str) -> tuple[str, int] | None:
    """("post" or "topic", id) when `url` is one of our post or topic pages, else None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in _our_hosts():
        return None
    adapter = current_app.url_map.bind(parts.netloc, url_scheme=parts.scheme)
    try:
        endpoint, values = adapter.match(parts.path or "/", method="GET")
    except HTTPException:  # no such page, or a redirect to one (a trailing slash)
        return None
    if endpoint == "community.post":
        return "post", int(values["post_id"])
    if endpoint == "community.topic":
        return "topic", int(values["topic_id"])
    return None


def _dimension(name: str) -> int | None:
    """maxwidth / maxheight as a positive integer, or None when absent or not a number."""
    value = request.args.get(name, "")
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 100_000 else None


def embed_size() -> tuple[int, int]:
    """The iframe's size: our default, shrunk (never below a readable minimum) to what the consumer allows."""
    width, height = EMBED_WIDTH, EMBED_HEIGHT
    if (max_width := _dimension("maxwidth")) is not None:
        width = max(min(width, max_width), min(MIN_SIZE, max_width))
    if (max_height := _dimension("maxheight")) is not None:
        height = max(min(height, max_height), min(MIN_SIZE, max_height))
    return width, height


def rich_embed(post: Post, site_name: str) -> dict[str, Any]:
    """The oEmbed answer for a post its author agreed to let other sites embed."""
    width, height = embed_size()
    src = url_for("sharing.embed", post_id=post.id, _external=True)
    title = post.topic.title
    answer: dict[str, Any] = {
        "type": "rich",
        "version": "1.0",
        "title": title,
        "provider_name": site_name,
        "provider_url": url_for("main.index", _external=True),
        "cache_age": CACHE_AGE,
        "width": width,
        "height": height,
        "html": _iframe(src, width, height, title),
    }
    if permissions.can(None, "credit_author", post) and post.author is not None:
        answer["author_name"] = post.author.display_name
        if post.author.profile_visibility == ProfileVisibility.EVERYONE:  # a visitor could open it
            answer["author_url"] = url_for("members.profile", name=post.author.display_name, _external=True)
    # The spec asks thumbnails to respect maxwidth and maxheight too: the card is left out when it would not fit.
    max_width, max_height = _dimension("maxwidth"), _dimension("maxheight")
    if (max_width is None or max_width >= CARD_WIDTH) and (max_height is None or max_height >= CARD_HEIGHT):
        answer["thumbnail_url"] = url_for("sharing.card", post_id=post.id, _external=True)
        answer["thumbnail_width"] = CARD_WIDTH
        answer["thumbnail_height"] = CARD_HEIGHT
    return answer


def _iframe(src: str, width: int, height: int, title: str) -> str:
    return (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" title="{escape(title)}" '
        'style="border:0;max-width:100%" loading="lazy" sandbox="allow-popups allow-popups-to-escape-sandbox" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )
