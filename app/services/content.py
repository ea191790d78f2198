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


def clean_body(body: str) -> str:
    if "\x00" in body:
        raise ServiceError("Your message contains a character that cannot be stored (NUL).", "body")
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ServiceError("Please write something before posting.", "body")
    if len(body) > BODY_MAX:
        raise ServiceError(f"Posts can be at most {BODY_MAX:,} characters.", "body")
    return body
