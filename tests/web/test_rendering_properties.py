"""Property-based tests of the Markdown renderer (SECURITY.md #12): whatever a member types, the cooked HTML is
well-formed and holds only the tags, attributes and URL schemes app/text/rendering.py allows (its lists, read here)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.text import rendering
from app.text.rendering import cook, sanitize_html

VOID_TAGS = frozenset({"br", "hr"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})
# What a browser ignores before reading a scheme: leading spaces and control characters, and tabs/newlines anywhere.
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
PROPERTIES = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


class StrictChecker(HTMLParser):
    """Parses cooked HTML and records every way it is not a well-formed fragment of allowed markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in rendering.ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.problems.append(f"<{tag}/> self-closed")
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("CDATA or unknown declaration")

    def _check_attribute(self, tag: str, name: str, value: str) -> None:
        plain = name in rendering.ALLOWED_ATTRIBUTES.get(tag, ())
        checked = rendering.ALLOWED_ATTRIBUTE_VALUES.get((tag, name))
        if not plain and not (checked and checked(value)):
            self.problems.append(f"attribute {name}={value!r} on <{tag}>")
        if name in URL_ATTRIBUTES:
            seen = re.sub(r"[\t\n\r]", "", value).lstrip("".join(map(chr, range(33))))
            scheme = SCHEME.match(seen)
            if scheme and scheme.group(1).lower() not in rendering.ALLOWED_PROTOCOLS:
                self.problems.append(f"URL scheme {scheme.group(1)!r} in {name}")


def problems(html: str) -> list[str]:
    checker = StrictChecker()
    checker.feed(html)
    checker.close()
    return checker.problems + [f"<{tag}> never closed" for tag in checker.open]


MARKDOWN_PIECES = [
    "**", "*", "_", "`", "```", "~~", "# ", "> ", "- ", "1. ", "3) ", "\n", "\n\n", "    ", "---", "[", "]", "(",
    ")", "![", "<", ">", "&", "&amp;", "&#x3C;", "\"", "'", "\\", "|", "@", "@[Ann Lee]", "@ann",
    "http://example.org/a?b=1&c=2", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://vimeo.com/76979871",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:x", "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)", "mailto:a@example.org", "www.example.org", "a@example.org",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:x">', "<iframe>",
    "<style>", "<!--", "-->", "<![CDATA[", "<svg onload=x>", "onclick=", "style=", "class=video-card",
    'data-video-id="x"', "</p>", "<p>", "<br/>", "| a | b |", "|---|:-:|", "| --: |", "<td>", "<table>",
]  # fmt: skip
markdown_like = st.lists(st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=12), max_size=30).map("".join)

TAGS = ["a", "p", "script", "img", "iframe", "svg", "style", "ol", "li", "code", "pre", "div", "span", "math", "td"]
ATTRIBUTES = ["href", "src", "onclick", "onerror", "style", "class", "title", "rel", "start", "data-video-id"]
ATTRIBUTES += ["tabindex", "scope"]
VALUES = ["javascript:alert(1)", " javascript:x", "data:,x", "https://ok.example", "/relative", "video-card", "x"]
VALUES += ["table-scroll", "align-left", "text-align:left", "0", "-1"]


@st.composite
def html_like(draw: st.DrawFn) -> str:
    """Tag soup: allowed and forbidden tags, hostile attributes, stray closers and text."""
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.lists(st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES) | st.text(max_size=8))))
        rendered = "".join(f' {n}="{v}"' for n, v in attrs)
        parts.append(draw(st.sampled_from([f"<{tag}{rendered}>", f"</{tag}>", f"<{tag}{rendered}/>"])))
        parts.append(draw(st.text(max_size=10)))
    return "".join(parts)


@PROPERTIES
@given(st.text())
def test_any_text_cooks_to_allowed_well_formed_html(raw):
    """Arbitrary Unicode cooks to well-formed HTML with only allowed tags, attributes and schemes."""
    assert problems(cook(raw)) == []


@PROPERTIES
@given(markdown_like)
def test_markdown_and_hostile_pieces_cook_to_allowed_well_formed_html(raw):
    """Markdown syntax mixed with links, hostile URLs and raw HTML cooks to well-formed, allowed HTML."""
    assert problems(cook(raw)) == []


@PROPERTIES
@given(markdown_like, st.text(min_size=1, max_size=40), st.text(max_size=20))
def test_mentions_with_any_name_stay_allowed(raw, display_name, slug):
    """Mention links, whatever the member's display name and profile path, pass the same allow-lists."""
    cooked = cook(f"@[Ann Lee] {raw} @ann", {"Ann Lee": (display_name, f"/u/{slug}"), "ann": (display_name, slug)})
    assert problems(cooked) == []


@PROPERTIES
@given(html_like())
def test_sanitizer_turns_tag_soup_into_allowed_well_formed_html(html):
    """The sanitiser alone, fed tag soup with hostile attributes, returns well-formed, allowed HTML."""
    assert problems(sanitize_html(html)) == []


def test_checker_catches_what_it_must():
    """The checker itself flags forbidden tags, attributes, schemes and unbalanced markup."""
    assert problems('<p><a href="javascript:x">x</a></p>')
    assert problems('<a href="https://ok" onclick="x">x</a>')
    assert problems("<script></script>")
    assert problems("<p><em>x</p></em>")
    assert problems("<p>x")
    assert problems('<p><a href="https://ok.example" rel="nofollow">x</a></p><br>') == []
