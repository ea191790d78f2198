"""The reference: a bare Flask app rendering a Jinja page of a chosen size from in-memory data.

`GET /<size>` answers an HTML page of exactly `size` bytes, built the way Kindred builds its pages (a base template,
a loop over rows, autoescaping) but with no database, sessions or extensions: the framework's limit on this machine.

    gunicorn --workers 2 --no-control-socket bench.reference_app:app
"""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, Response, render_template_string

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/kindred.css"></head>
<body><main><h1>{{ title }}</h1>
<ol class="post-list">{% for row in rows %}
<li class="post" id="p{{ row.id }}"><a href="/u/{{ row.author }}">{{ row.author }}</a>
<time>{{ row.when }}</time><p>{{ row.text }}</p></li>{% endfor %}
</ol>{{ padding }}</main></body></html>"""
ROW_TEXT = "I found the first weeks hard & tiring, but the nurse's advice on pacing <really> helped me. " * 3

app = Flask(__name__)


def _rows(count: int) -> list[dict]:
    return [dict(id=n, author=f"Member {n}", when="3 days ago", text=ROW_TEXT) for n in range(count)]


@lru_cache(maxsize=64)
def _shape(size: int) -> tuple[int, str]:
    """How many rows and how much padding make the rendered page exactly `size` bytes (found once per size)."""
    empty, one = (len(_render(n, "").encode()) for n in (0, 1))
    rows = max(0, (size - empty) // (one - empty + 2))  # ids grow by a digit or two: start a little short
    while len(_render(rows + 1, "").encode()) <= size:
        rows += 1
    missing = size - len(_render(rows, "").encode())
    return rows, "x" * max(0, missing)


def _render(rows: int, padding: str) -> str:
    return render_template_string(PAGE, title="Reference page", rows=_rows(rows), padding=padding)


@app.route("/<int:size>")
def page(size: int) -> Response:
    """The reference page of `size` bytes (at most 2 MB)."""
    size = min(size, 2_000_000)
    rows, padding = _shape(size)
    return Response(_render(rows, padding), mimetype="text/html")
