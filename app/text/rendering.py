"""Markdown -> cooked HTML. The only module that imports bleach: every piece of user HTML is cleaned here."""

from __future__ import annotations

import re
from collections.abc import Mapping

import bleach
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markupsafe import Markup

from app.text.video_links import HOST_LABELS, is_video_id, parse_video

# No h1: the page's title is its only h1, and a text's headings are moved below it (see _heading_levels).
ALLOWED_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
        "hr", "li", "ol", "p", "pre", "strong", "ul", "del", "s",
        "div", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"], "th": ["scope"]}
ALIGN_CLASSES = {
    "text-align:left": "align-left",
    "text-align:center": "align-center",
    "text-align:right": "align-right",
}
TABLE_SCROLL_CLASS = "table-scroll"
# Attributes allowed only with these values: the markers of a video card (see app/text/video_links.py), which only
# _link_open() writes. Members' Markdown cannot write attributes (raw HTML is off), so this is belt and braces.
ALLOWED_ATTRIBUTE_VALUES = {
    ("a", "class"): lambda value: value in (VIDEO_CARD_CLASS, MENTION_CLASS),
    ("a", "data-video-host"): lambda value: value in HOST_LABELS,
    ("a", "data-video-id"): lambda value: any(is_video_id(host, value) for host in HOST_LABELS),
    # A table's column alignment, as a class (a style attribute would need a CSS sanitiser), and the scrolling box
    # around a table that _table_open() writes: focusable, so a keyboard can scroll a wide table at 390 px.
    ("th", "class"): lambda value: value in ALIGN_CLASSES.values(),
    ("td", "class"): lambda value: value in ALIGN_CLASSES.values(),
    ("div", "class"): lambda value: value == TABLE_SCROLL_CLASS,
    ("div", "tabindex"): lambda value: value == "0",
}
# The page's title is its h1 and a text sits right below it (a topic's posts, a message, a library page): a text's
# highest heading is an h2, whatever its `#`s, and the others keep their distance from it, down to h6.
TOP_HEADING = 2
VIDEO_CARD_CLASS = "video-card"
MENTION_CLASS = "mention"
# Mentions: `@[Display Name]` names anyone (spaces and punctuation too, up to 40 characters, no "]");
# `@Name` is the short form for names of letters, digits, "_", "." and "-" only. An "@" right after a letter
# or digit (an e-mail address) is no mention, and neither is one inside a link or code.
MENTION_BRACKETED = re.compile(r"@\[([^\]\n]{1,40})\](?![(\[])")
MENTION_SHORT = re.compile(r"@(\w[\w.\-]{0,39})")
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"


def _link_open(self: RendererHTML, tokens, idx, options, env) -> str:  # noqa: ANN001 - markdown-it signature
    token = tokens[idx]
    token.attrSet("rel", LINK_REL)
    video = parse_video(str(token.attrGet("href") or ""))
    if video is None:
        return self.renderToken(tokens, idx, options, env)
    # A click-to-play card: a plain link to the host until clicked, so nothing loads from the host before that.
    token.attrSet("href", video.url)
    token.attrSet("class", VIDEO_CARD_CLASS)
    token.attrSet("data-video-host", video.host)
    token.attrSet("data-video-id", video.id)
    token.attrSet("title", f"Video on {video.label}: nothing loads from {video.label} until you click")
    return self.renderToken(tokens, idx, options, env) + f"<strong>Video on {video.label}</strong> "


def _heading_levels(state: StateCore) -> None:
    """Move a text's headings so its highest is an h2 below the page's h1, the rest as far below it as written."""
    headings = [t for t in state.tokens if t.type in ("heading_open", "heading_close")]
    if not headings:
        return
    shift = TOP_HEADING - min(int(t.tag[1]) for t in headings)
    for token in headings:
        token.tag = f"h{min(6, int(token.tag[1]) + shift)}"


def _table_open(self: RendererHTML, tokens, idx, options, env) -> str:  # noqa: ANN001
    return f'<div class="{TABLE_SCROLL_CLASS}" tabindex="0">' + self.renderToken(tokens, idx, options, env)


def _table_close(self: RendererHTML, tokens, idx, options, env) -> str:  # noqa: ANN001
    return self.renderToken(tokens, idx, options, env) + "</div>"


def _table_cell(self: RendererHTML, tokens, idx, options, env) -> str:  # noqa: ANN001
    token = tokens[idx]
    align = ALIGN_CLASSES.get(str(token.attrGet("style") or ""))
    token.attrs.pop("style", None)
    if align:
        token.attrSet("class", align)
    if token.tag == "th":
        token.attrSet("scope", "col")
    return self.renderToken(tokens, idx, options, env)


def _image_as_link(self: RendererHTML, tokens, idx, options, env) -> str:  # noqa: ANN001
    # Remote images would tell a third party who reads a health forum, so they become plain links.
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env) or src
    if not _markdown.validateLink(src):
        return escapeHtml(alt)
    return f'<a href="{escapeHtml(src)}" rel="{LINK_REL}">{escapeHtml(alt)}</a>'


def _mention_rule(state: StateInline, silent: bool) -> bool:
    """Turn `@[Name]` or `@Name` into a mention token; whether it becomes a link is decided when rendering."""
    pos, src = state.pos, state.src
    if src[pos] != "@" or state.linkLevel > 0 or (pos > 0 and (src[pos - 1].isalnum() or src[pos - 1] in "_.")):
        return False
    match = MENTION_BRACKETED.match(src, pos) or MENTION_SHORT.match(src, pos)
    if match is None:
        return False
    name = match.group(1).strip() if match.re is MENTION_BRACKETED else match.group(1).rstrip(".-")
    if not name:
        return False
    end = match.end() if match.re is MENTION_BRACKETED else pos + 1 + len(name)
    if not silent:
        token = state.push("mention", "", 0)
        token.meta = {"name": name}
        token.content = src[pos:end]
    state.pos = end
    return True


def _render_mention(self: RendererHTML, tokens, idx, options, env) -> str:  # noqa: ANN001 - markdown-it signature
    token = tokens[idx]
    found = (env.get("mentions") or {}).get(token.meta["name"])
    if found is None:  # not a member (or not looked up): the text stays as written
        return escapeHtml(token.content)
    display_name, href = found
    return f'<a href="{escapeHtml(href)}" class="{MENTION_CLASS}">@{escapeHtml(display_name)}</a>'


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["linkify", "strikethrough", "table"])
    md.inline.ruler.before("text", "mention", _mention_rule)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image_as_link)
    md.add_render_rule("mention", _render_mention)
    md.core.ruler.push("heading_levels", _heading_levels)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    for kind in ("th_open", "td_open"):
        md.add_render_rule(kind, _table_cell)
    return md


_markdown = _build_markdown()


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ALLOWED_ATTRIBUTES.get(tag, ()):
        return True
    check = ALLOWED_ATTRIBUTE_VALUES.get((tag, name))
    return check is not None and check(value)


def sanitize_html(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes; everything else is escaped or dropped."""
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return cleaned


def cook_markup(raw: str) -> Markup:
    """Cooked HTML ready for a template, for staff-edited texts rendered on demand (the crisis panel)."""
    return Markup(cook(raw))  # noqa: S704 - the output of sanitize_html


def cook(raw: str, mentions: Mapping[str, tuple[str, str]] | None = None) -> str:
    """Render a member's Markdown to the HTML stored beside it (cooked once, at write time).

    `mentions` maps each name written after "@" (see `mention_names`) to the member's display name and profile
    path; names missing from it stay plain text. The links go through the sanitiser like everything else."""
    return sanitize_html(_markdown.render(raw, {"mentions": dict(mentions or {})}))


def mention_names(raw: str) -> list[str]:
    """The names a text mentions, as written, in order and without repeats (code and links excluded)."""
    names: dict[str, None] = {}
    for block in _markdown.parse(raw):
        for token in block.children or ():
            if token.type == "mention":
                names.setdefault(token.meta["name"], None)
    return list(names)
