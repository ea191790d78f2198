"""The rules for titles and post bodies, shared by members' posts and moderators' edits."""

from __future__ import annotations

import re
import unicodedata

from app.services import ServiceError

TITLE_MAX = 200
BODY_MAX = 20_000
SLUG_MAX = 80


def slugify(text: str) -> str:
    """A readable URL part: ASCII letters and digits joined by hyphens ("topic" when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "topic"


def clean_title(title: str) -> str:
    if "\x00" in title:
        raise ServiceError("Your title contains a character that cannot be stored (NUL).", "title")
    title = " ".join(title.split())
    if not title:
        raise ServiceError("Please give your topic a title.", "title")
    if len(title) > TITLE_MAX:
        raise ServiceError(f"Titles can be at most {TITLE_MAX} characters.", "title")
    return title


def clean_text(text: str, *, limit: int, empty: str | None, noun: str, field: str = "body") -> str:
    """Text as stored: no NUL, Unix line ends, trimmed, within `limit` characters; not empty unless `empty` is
    None (otherwise it is the message asking for something)."""
    if "\x00" in text:
        raise ServiceError("This contains a character that cannot be stored (NUL).", field)
    text = text.replace("\r\n", "\n").strip()
    if not text and empty is not None:
        raise ServiceError(empty, field)
    if len(text) > limit:
        raise ServiceError(f"{noun} can be at most {limit:,} characters.", field)
    return text


def clean_body(body: str) -> str:
    """A post body by the rules every post and moderator edit follows."""
    return clean_text(body, limit=BODY_MAX, empty="Please write something before posting.", noun="Posts")
