"""Highlighted titles and snippets, built here rather than by the database so no stored markup reaches the page:
the text is escaped first, then only our own <mark> tags are added around the words that matched."""

from __future__ import annotations

from markupsafe import Markup, escape

from app.search.syntax import WORD, ParsedQuery, fold

SNIPPET_CHARS = 240
LEAD_CHARS = 60  # context kept before the first match


def _is_hit(word: str, exact: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    folded = fold(word)
    return folded in exact or folded.startswith(prefixes)  # a tuple of prefixes; never true for an empty one


def _mark(text: str, exact: frozenset[str], prefixes: tuple[str, ...]) -> Markup:
    """The text, escaped, with each matching word wrapped in <mark>."""
    out, last = [], 0
    for match in WORD.finditer(text):
        if _is_hit(match.group(), exact, prefixes):
            out += [escape(text[last : match.start()]), Markup("<mark>"), escape(match.group()), Markup("</mark>")]
            last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def highlight_title(title: str, query: ParsedQuery) -> Markup:
    """A whole title with the query's words marked."""
    return _mark(title, *query.highlight_words())


def _window(text: str, exact: frozenset[str], prefixes: tuple[str, ...]) -> tuple[int, int]:
    """Where to cut a snippet: a little before the first matching word, on word boundaries."""
    first = next((m.start() for m in WORD.finditer(text) if _is_hit(m.group(), exact, prefixes)), 0)
    start = 0 if first <= LEAD_CHARS else text.find(" ", first - LEAD_CHARS, first) + 1
    end = start + SNIPPET_CHARS
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, min(end, len(text))


def snippet(cooked_html: str, query: ParsedQuery) -> Markup:
    """A short plain-text extract of a post around its first match, the matching words marked."""
    text = Markup(cooked_html).striptags()  # noqa: S704 - cooked HTML is sanitised; we only read its text
    exact, prefixes = query.highlight_words()
    start, end = _window(text, exact, prefixes)
    marked = _mark(text[start:end], exact, prefixes)
    return Markup("").join(["… " if start > 0 else "", marked, " …" if end < len(text) else ""])
