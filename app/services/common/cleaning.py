"""The rules for titles and post bodies, shared by members' posts and moderators' edits."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import format_number
from flask_babel import gettext as _

from app.services import ServiceError
from app.text.lazy import lazy_text as _l

TITLE_MAX = 200
BODY_MAX = 20_000
SLUG_MAX = 80
# A topic others can find and answer: "Help" or "x" says nothing in a list of topics.
TITLE_MIN = 5
OPENING_BODY_MIN = 10


def slugify(text: str) -> str:
    """A readable URL part: ASCII letters and digits joined by hyphens ("topic" when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "topic"


# Letters that render as nothing at all (Hangul fillers, the blank Braille pattern): as empty as a space.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible_length(text: str) -> int:
    """How many characters a reader sees, trimmed: invisible format characters (zero-width spaces, joiners, marks
    of direction, byte-order marks) and blank letters count for nothing, so text made only of them is empty."""
    shown = "".join(c for c in text if unicodedata.category(c) != "Cf" and c not in BLANK_LETTERS)
    return len(shown.strip())


def clean_title(title: str) -> str:
    if "\x00" in title:
        raise ServiceError(_("Your title contains a character that cannot be stored (NUL)."), "title")
    title = " ".join(title.split())
    if not visible_length(title):
        raise ServiceError(_("Please give your topic a title."), "title")
    if len(title) > TITLE_MAX:
        raise ServiceError(_("Titles can be at most %(limit)d characters.", limit=TITLE_MAX), "title")
    return title


# "… can be at most N characters", one whole sentence for each kind of text clean_text() is given.
TOO_LONG = {
    "Posts": _l("Posts can be at most %(limit)s characters."),
    "Messages": _l("Messages can be at most %(limit)s characters."),
    "Descriptions": _l("Descriptions can be at most %(limit)s characters."),
    "Page texts": _l("Page texts can be at most %(limit)s characters."),
    "Announcements": _l("Announcements can be at most %(limit)s characters."),
    "The guidelines": _l("The guidelines can be at most %(limit)s characters."),
    "Notes": _l("Notes can be at most %(limit)s characters."),
    "Questions": _l("Questions can be at most %(limit)s characters."),
    "Answers": _l("Answers can be at most %(limit)s characters."),
}


def clean_text(text: str, *, limit: int, empty: str | None, noun: str, field: str = "body") -> str:
    """Text as stored: no NUL, Unix line ends, trimmed, within `limit` characters; not empty unless `empty` is
    None (otherwise it is the message asking for something)."""
    if "\x00" in text:
        raise ServiceError(_("This contains a character that cannot be stored (NUL)."), field)
    text = text.replace("\r\n", "\n").strip()
    if not visible_length(text):
        text = ""  # only spaces or invisible characters: nothing to show
    if not text and empty is not None:
        raise ServiceError(empty, field)
    if len(text) > limit:
        raise ServiceError(_(TOO_LONG[noun], limit=format_number(limit)), field)
    return text


def clean_body(body: str) -> str:
    """A post body by the rules every post and moderator edit follows."""
    return clean_text(body, limit=BODY_MAX, empty=_("Please write something before posting."), noun="Posts")


def clean_topic_title(title: str) -> str:
    """A topic's title: the title rules, and long enough to say what the topic is about."""
    title = clean_title(title)
    if visible_length(title) < TITLE_MIN:
        raise ServiceError(
            _(
                "Please use at least %(limit)d characters, so others can tell what your topic is about.",
                limit=TITLE_MIN,
            ),
            "title",
        )
    return title


def clean_opening_body(body: str) -> str:
    """A topic's opening post: the post rules, and long enough for others to understand and reply."""
    body = clean_body(body)
    if visible_length(body) < OPENING_BODY_MIN:
        raise ServiceError(
            _(
                "Please write at least %(limit)d characters, so others can understand and reply.",
                limit=OPENING_BODY_MIN,
            ),
            "body",
        )
    return body
