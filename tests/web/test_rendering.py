"""Markdown -> cooked HTML: raw HTML is text, only allow-listed markup and URL schemes survive (SECURITY.md #12)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag

from app.text.rendering import LINK_REL, cook, sanitize_html
from tests.support import BAD_SCHEME, url_scheme_text

DANGEROUS_TAGS = ("script", "style", "iframe", "object", "embed", "svg", "math", "img", "form", "input", "base")


def elements(html: str) -> list[Tag]:
    return BeautifulSoup(html, "html.parser").find_all(True)


def unsafe_urls(html: str) -> list[str]:
    """URL attribute values a browser would run or render as a document."""
    found = []
    for element in elements(html):
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            value = str(element.get(name) or "")
            if BAD_SCHEME.match(url_scheme_text(value)):
                found.append(f"{element.name} {name}={value!r}")
    return found


RAW_HTML = [
    "<b>bold by tag</b>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=evil.html></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    "<!-- a comment -->",
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("raw", RAW_HTML)
def test_cook_shows_raw_html_as_text(raw):
    """HTML typed into a post is shown as the characters typed, inside one paragraph."""
    cooked = cook(raw)
    assert [element.name for element in elements(cooked)] == ["p"]
    assert BeautifulSoup(cooked, "html.parser").p.get_text() == raw


DANGEROUS_HTML = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<img src="https://example.org/a.png">',
    '<form action="https://evil.example"><input name=q></form>',
    '<base href="https://evil.example/">',
]


@pytest.mark.parametrize("html", DANGEROUS_HTML)
def test_sanitize_drops_dangerous_elements(html):
    """script, style, iframe, object, embed, svg, math, img, form and base elements never survive sanitising."""
    assert [element.name for element in elements(sanitize_html(html)) if element.name in DANGEROUS_TAGS] == []


DANGEROUS_HREFS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&#x3A;alert(1)",
    "&#0000106&#0000097vascript:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java&#x09;script:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
]


@pytest.mark.parametrize("href", DANGEROUS_HREFS)
def test_sanitize_drops_dangerous_hrefs(href):
    """A link to a javascript:, data: or vbscript: URL, however disguised, keeps no href a browser would run."""
    assert unsafe_urls(sanitize_html(f'<a href="{href}">x</a>')) == []


DANGEROUS_MARKDOWN = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&colon;alert(1))",
    "[x](<java script:alert(1)>)",
    "[x](<javascript\t:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x]: javascript:alert(1)\n\n[x]",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("markdown", DANGEROUS_MARKDOWN)
def test_cook_never_links_to_dangerous_schemes(markdown):
    """Markdown links and images never produce a javascript:, data: or vbscript: URL."""
    assert unsafe_urls(cook(markdown)) == []


EVENT_HANDLERS = [
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<a href="https://example.org" ONMOUSEOVER="alert(1)">x</a>',
    "<p onmouseover=alert(1)>x</p>",
    '<strong onfocus="alert(1)" tabindex=1>x</strong>',
    "<blockquote/onpointerenter=alert(1)>x</blockquote>",
    '<p style="background:url(javascript:alert(1))">x</p>',
]


@pytest.mark.parametrize("html", EVENT_HANDLERS)
def test_sanitize_drops_event_handlers_and_styles(html):
    """Event-handler and style attributes are removed from allowed elements."""
    attributes = [name for element in elements(sanitize_html(html)) for name in element.attrs]
    assert [name for name in attributes if name.lower().startswith("on") or name.lower() == "style"] == []


@pytest.mark.parametrize(
    "markdown", ['[x](https://e.org/a" onclick="alert(1))', "[x](https://e.org/ onclick=alert(1))"]
)
def test_cook_cannot_smuggle_attributes_into_links(markdown):
    """Quotes in a Markdown link destination never open a new attribute."""
    attributes = {name for element in elements(cook(markdown)) for name in element.attrs}
    assert attributes <= {"href", "rel", "title"}


LINKS = [
    ("[a link](https://example.org/page)", "https://example.org/page"),
    ('[titled](https://example.org "A title")', "https://example.org"),
    ("<https://example.org/auto>", "https://example.org/auto"),
    ("see https://example.org/bare for more", "https://example.org/bare"),
    ("www.example.org", "http://www.example.org"),
    ("[mail me](mailto:someone@example.org)", "mailto:someone@example.org"),
    ("write to someone@example.org", "mailto:someone@example.org"),
    ("![a picture](https://example.org/a.png)", "https://example.org/a.png"),
]


@pytest.mark.parametrize(("markdown", "href"), LINKS)
def test_cook_links_carry_nofollow_ugc_noopener_noreferrer(markdown, href):
    """Every link a member makes points where they wrote and carries rel="nofollow ugc noopener noreferrer"."""
    links = BeautifulSoup(cook(markdown), "html.parser").find_all("a")
    assert [(a["href"], " ".join(a["rel"])) for a in links] == [(href, LINK_REL)]


def test_cook_turns_images_into_plain_links():
    """An image becomes a link named by its alt text, so no third party sees who reads the page."""
    soup = BeautifulSoup(cook("![my scan](https://example.org/scan.png)"), "html.parser")
    assert soup.find("img") is None
    assert (soup.a["href"], soup.a.get_text()) == ("https://example.org/scan.png", "my scan")


def test_cook_shows_an_image_with_an_unsafe_source_as_its_alt_text():
    """An image whose URL is refused keeps only its alt text."""
    cooked = cook("![my scan](javascript:alert(1))")
    assert BeautifulSoup(cooked, "html.parser").find_all(["a", "img"]) == []
    assert "my scan" in cooked


ALLOWED_MARKDOWN = [
    ("**bold** and *italic*", "<p><strong>bold</strong> and <em>italic</em></p>"),
    ("~~struck~~", "<p><s>struck</s></p>"),
    ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
    ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
    ("`inline code`", "<p><code>inline code</code></p>"),
    ("```python\nprint('<hi>')\n```", "<pre><code>print('&lt;hi&gt;')\n</code></pre>"),
    ("    indented code", "<pre><code>indented code\n</code></pre>"),
    ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
    ("# Heading one", "<h2>Heading one</h2>"),
    ("## Heading two\n\n###### Heading six", "<h2>Heading two</h2>\n<h6>Heading six</h6>"),
    ("above\n\n---\n\nbelow", "<p>above</p>\n<hr>\n<p>below</p>"),
    ("line one  \nline two", "<p>line one<br>\nline two</p>"),
]


@pytest.mark.parametrize(("markdown", "html"), ALLOWED_MARKDOWN)
def test_cook_keeps_allowed_markdown(markdown, html):
    """Bold, italic, strikethrough, lists, code, quotes, headings, rules and line breaks survive cooking."""
    assert cook(markdown).strip() == html


@pytest.mark.parametrize(
    "html",
    [
        "<p><strong>b</strong> <em>i</em> <code>c</code> <del>d</del></p>",
        '<ol start="2"><li>x</li></ol>',
        '<a href="https://example.org" title="t" rel="nofollow ugc noopener noreferrer">x</a>',
        "<blockquote><p>q</p></blockquote><h2>h</h2><hr><pre><code>x</code></pre>",
    ],
)
def test_sanitize_keeps_allow_listed_markup(html):
    """Allow-listed elements and attributes pass through sanitising unchanged."""
    assert sanitize_html(html) == html


def test_sanitize_drops_attributes_outside_the_allow_list():
    """Attributes not on the allow-list (class, id, target) are removed and the element kept."""
    cleaned = sanitize_html('<a href="https://example.org" class="c" id="i" target="_blank">x</a>')
    assert cleaned == '<a href="https://example.org">x</a>'
