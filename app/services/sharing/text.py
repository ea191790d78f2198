"""A post's words as plain text, for places that show no HTML: the share card, the embed and the repost page."""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup

# Where a block of cooked HTML ends: each becomes a paragraph break in the plain text.
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|pre|tr|div)>", re.IGNORECASE)


def _printable(text: str) -> str:
    """Control characters draw boxes or break lines; format characters (joiners, bidi marks) stay for shaping."""
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)


def paragraphs(cooked_html: str) -> list[str]:
    """The cooked post's paragraphs as plain text, whitespace collapsed, empty ones left out."""
    chunks = _BLOCK_END.split(cooked_html)
    # The cooked HTML went through the sanitiser at write time; only its text is read here.
    texts = (_printable(Markup(chunk).striptags()).strip() for chunk in chunks)  # noqa: S704
    return [" ".join(text.split()) for text in texts if text.strip()]


def plain_text(cooked_html: str) -> str:
    """The whole post as plain text to copy, paragraphs separated by a blank line."""
    return "\n\n".join(paragraphs(cooked_html))


def excerpt(cooked_html: str, limit: int) -> str:
    """The first `limit` characters or so of the post, cut at a word and marked with an ellipsis when cut."""
    text = " ".join(paragraphs(cooked_html))
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + "…"
