"""The share card: a 1200 × 630 PNG of a public post, for link previews (og:image) and reposts.

What is drawn is decided in `card_content`, from the permission rules; `draw_card` only lays out what it is given,
so a card never holds more than its `CardContent` (which is what the ETag is made of).
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app import permissions
from app.models import Post
from app.services.sharing.text import paragraphs

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
# Drawn layout changes bump this, so browsers and previews fetch the new picture.
LAYOUT_VERSION = 1
# Enough characters for the lines that fit; longer posts are cut before any measuring.
TEXT_CHARS = 400
BODY_LINES = 6
BACKGROUND, PANEL, INK, MUTED, ACCENT = "#f6f3ee", "#ffffff", "#1f2933", "#52606d", "#2f6f5e"
# DejaVu covers Latin, Greek, Cyrillic, Arabic and Hebrew and ships with Debian (fonts-dejavu-core, which Chromium
# pulls in); without it Pillow's built-in font draws Latin text.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class CardContent:
    """Everything a card shows; nothing else reaches the drawing."""

    text: str
    group: str
    site: str
    author: str | None  # only when the author agreed to their name leaving the site


def card_content(post: Post, site_name: str) -> CardContent:
    """What the card of a public post shows: its first words, its group, the site, and the author if they agreed."""
    credited = permissions.can(None, "credit_author", post)
    text = " ".join(paragraphs(post.cooked))[:TEXT_CHARS]
    author = post.author.display_name if credited and post.author is not None else None
    return CardContent(text=text, group=post.topic.group.name, site=site_name, author=author)


def card_etag(content: CardContent) -> str:
    """Stable while the card would look the same: changes with an edit, a renamed group or a change of consent."""
    data = json.dumps([LAYOUT_VERSION, asdict(content)], ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()[:32]


Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def _font(size: int, bold: bool = False) -> Font:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _is_rtl(text: str) -> bool:
    """Right-to-left when the first letter with a direction is Arabic or Hebrew script."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _break_word(word: str, font: Font, width: int) -> list[str]:
    """A word wider than the line (a long address, a run without spaces) split where it must be."""
    pieces, piece = [], ""
    for char in word:
        if piece and font.getlength(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def wrap(text: str, font: Font, width: int, max_lines: int) -> list[str]:
    """The text in lines that fit `width`, at most `max_lines`, the last one ending in "…" when text is left over."""
    lines: list[str] = []
    line = ""
    words = [piece for word in text.split() for piece in _break_word(word, font, width)]
    for word in words:
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        lines.append(line)
        line = word
        if len(lines) == max_lines:
            return _ellipsised(lines, font, width)
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        return _ellipsised(lines[:max_lines], font, width)
    return lines


def _ellipsised(lines: list[str], font: Font, width: int) -> list[str]:
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    return [*lines[:-1], last.rstrip() + "…"]


def _line(draw: ImageDraw.ImageDraw, y: int, text: str, font: Font, fill: str) -> None:
    """One line, right-aligned for right-to-left text."""
    if _is_rtl(text):
        draw.text((WIDTH - MARGIN, y), text, font=font, fill=fill, anchor="ra")
    else:
        draw.text((MARGIN, y), text, font=font, fill=fill, anchor="la")


def draw_card(content: CardContent) -> bytes:
    """The card as PNG bytes: the group on top, the first lines of the post, the site and author at the bottom."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((32, 32, WIDTH - 32, HEIGHT - 32), radius=24, fill=PANEL)
    draw.rectangle((32, 32, WIDTH - 32, 44), fill=ACCENT)
    inner = WIDTH - 2 * MARGIN
    group_font, body_font, foot_font = _font(34, bold=True), _font(42), _font(30, bold=True)
    _line(draw, 76, wrap(content.group, group_font, inner, 1)[0] if content.group else "", group_font, ACCENT)
    for number, text in enumerate(wrap(content.text, body_font, inner, BODY_LINES)):
        _line(draw, 140 + number * 58, text, body_font, INK)
    footer = f"{content.site} · {content.author}" if content.author else content.site
    _line(draw, HEIGHT - 100, wrap(footer, foot_font, inner, 1)[0] if footer else "", foot_font, MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
