"""Stored values are never marked safe (SECURITY.md #13, FlaskBB #680): templates autoescape, use no `|safe`, and
the only Markup() in the code wraps sanitised (cooked) HTML or fixed literals."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAFE_FILTER = re.compile(r"\|\s*safe\b|autoescape\s+false|\bMarkup\(", re.IGNORECASE)
MARKUP_CALL = re.compile(r"\bMarkup\((?P<arg>[^)]*)\)")
# A Markup() of a literal, or one justified on its line (ruff's S704 check asks for exactly that).
LITERAL = re.compile(r"""^\s*(["'])[^"']*\1\s*$""")


def test_templates_autoescape(app):
    """Every HTML template is rendered with autoescaping on."""
    assert app.jinja_env.autoescape("page.html") is True


def test_no_template_marks_anything_safe():
    """No template uses `|safe`, turns autoescaping off or builds Markup itself."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SAFE_FILTER.search(line)
    ]
    assert found == []


def test_every_markup_call_is_a_literal_or_justified():
    """Code that wraps a value in Markup() says why it is safe (cooked by the sanitiser, or escaped first)."""
    unjustified = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for call in MARKUP_CALL.finditer(line):
                if not LITERAL.match(call.group("arg")) and "S704" not in line:
                    unjustified.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert unjustified == []
