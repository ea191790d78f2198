"""Sentences named once, at import time, that read in the language of wherever they are shown.

Flask-Babel's own lazy strings are not `str`: `sentence in page` raises and JSON cannot hold them. A `LazyText` *is*
its English text for everything code does with it (`==`, `in`, hashing, storing), and is translated only when it
is shown: `str()`, Jinja's `{{ }}` and `"%s" %` give the current language. So code compares refusals and notices
by value in any language, and passes `str(SENTENCE)` wherever a message leaves for a flash, an error or the database.
"""

from __future__ import annotations

from flask_babel import gettext
from markupsafe import Markup, escape


class LazyText(str):
    __slots__ = ()

    def __str__(self) -> str:
        return str(gettext(str.__str__(self)))

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_text(text: str) -> LazyText:
    """Mark `text` for translation (import it as `_l`, the keyword extraction looks for)."""
    return LazyText(text)
