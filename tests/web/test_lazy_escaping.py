"""Lazy translated strings are text, not HTML: pages escape them like any other string."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import lazy_gettext
from markupsafe import escape


def test_a_lazy_string_is_escaped_in_a_template(app: Flask) -> None:
    with app.test_request_context():
        lazy = lazy_gettext("<b>Don't</b> & more")
        assert str(escape(lazy)) == "&lt;b&gt;Don&#39;t&lt;/b&gt; &amp; more"
        assert render_template_string("{{ text }}", text=lazy) == "&lt;b&gt;Don&#39;t&lt;/b&gt; &amp; more"
