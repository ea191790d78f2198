"""Mentions against the shared XSS corpus: even a hostile name or link target cooks to nothing a browser would run."""

from __future__ import annotations

from urllib.parse import quote

from bs4 import BeautifulSoup

from app.text.rendering import cook, mention_names
from tests.support import executable_markup, read_corpus


def test_mentions_of_hostile_names_cook_to_inert_html() -> None:
    """Every corpus line, mentioned both ways and "found" as a member of that very name, cooks to inert HTML."""
    problems = []
    for payload in read_corpus("xss-payloads.txt"):
        raw = f"Hello @[{payload}] and @{payload} and {payload}"
        found = {name: (name, f"/u/{quote(name, safe='')}") for name in mention_names(raw)}
        hostile_targets = {name: (name, payload) for name in mention_names(raw)}  # a link target of the payload
        for mentions in (found, hostile_targets):
            html = cook(raw, mentions)
            bad = executable_markup(BeautifulSoup(html, "html.parser"))
            if bad:
                problems.append(f"{payload!r}: {bad}")
    assert problems == []


def test_mention_link_carries_only_the_mention_class() -> None:
    """A mention link keeps href and class="mention"; a member cannot write that class into their own links."""
    html = cook("@[Ann Lee] and [x](https://example.org){.mention}", {"Ann Lee": ("Ann Lee", "/u/Ann%20Lee")})
    links = BeautifulSoup(html, "html.parser").find_all("a")
    assert links[0].attrs == {"href": "/u/Ann%20Lee", "class": ["mention"]}
    assert "class" not in links[1].attrs
