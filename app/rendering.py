"""Markdown -> cooked HTML. The only module that imports bleach: every piece of user HTML is cleaned here."""

from __future__ import annotations

import bleach
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "li", "ol", "p", "pre", "strong", "ul", "del", "s",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"


def _link_open(self: RendererHTML, tokens, idx, options, env) -> str:  # noqa: ANN001 - markdown-it signature
    tokens[idx].attrSet("rel", LINK_REL)
    return self.renderToken(tokens, idx, options, env)


def _image_as_link(self: RendererHTML, tokens, idx, options, env) -> str:  # noqa: ANN001
    # Remote images would tell a third party who reads a health forum, so they become plain links.
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env) or src
    if not _markdown.validateLink(src):
        return escapeHtml(alt)
    return f'<a href="{escapeHtml(src)}" rel="{LINK_REL}">{escapeHtml(alt)}</a>'


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["linkify", "strikethrough"])
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image_as_link)
    return md


_markdown = _build_markdown()


def sanitize_html(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes; everything else is escaped or dropped."""
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return cleaned


def cook_markup(raw: str) -> Markup:
    """Cooked HTML ready for a template, for staff-edited texts rendered on demand (the crisis panel)."""
    return Markup(cook(raw))  # noqa: S704 - the output of sanitize_html


def cook(raw: str) -> str:
    """Render a member's Markdown to the HTML stored beside it (cooked once, at write time)."""
    return sanitize_html(_markdown.render(raw))
