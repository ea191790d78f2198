"""Hostile text (the shared corpora, right-to-left scripts, emoji) in a post: its card, embed, oEmbed answer and
repost page all still answer, with nothing a browser could run."""

from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from PIL import Image

from app.extensions import db
from app.models import Role
from app.text.rendering import cook
from tests.factories import make_member
from tests.sharing.conftest import shared_topic
from tests.support import as_body, browser, executable_markup, read_corpus

pytestmark = pytest.mark.once  # feeds whole corpora

OTHER_SCRIPTS = (
    "مرحبا بكم، أتمنى لكم الشفاء العاجل 😀👍🏽 وشكرا",
    "שלום לכולם, תודה על התמיכה 🙏",
    "👨‍👩‍👧‍👦🏳️‍🌈 家族と一緒に回復しています。ありがとう！ 🇯🇵",
    "a\u202eevil\u202c \u200f\u2066mixed\u2069 " + "W" * 500,
)


def _check(app: Flask, text: str, *, repost_page: bool = True) -> None:
    """One input in the post: every outside-facing view answers, the card decodes, the HTML runs nothing."""
    thread = _check.thread  # type: ignore[attr-defined]
    # Forms refuse NUL before any service sees it (app/web/forms.py no_nul), and PostgreSQL cannot store it.
    body = as_body(text.replace("\x00", "")) or "."
    thread.post.raw, thread.post.cooked = body, cook(body)
    db.session.commit()
    visitor = _check.visitor  # type: ignore[attr-defined]
    card = visitor.get(f"/p/{thread.post.id}/card.png")
    assert card.status_code == 200, text
    assert Image.open(io.BytesIO(card.data)).size == (1200, 630)
    embed = visitor.get(f"/embed/p/{thread.post.id}")
    assert embed.status_code == 200, text
    assert executable_markup(BeautifulSoup(embed.data, "html.parser")) == [], text
    answer = visitor.get(f"/oembed?url=http://localhost/p/{thread.post.id}")
    assert json.loads(answer.data)["type"] == "rich"
    if not repost_page:
        return
    repost = _check.staff.get(f"/staff/repost/{thread.post.id}")  # type: ignore[attr-defined]
    assert repost.status_code == 200, text
    assert executable_markup(BeautifulSoup(repost.data, "html.parser")) == [], text


@pytest.fixture
def checking(app: Flask) -> None:
    author = make_member(repost_consent=True, repost_name_consent=True)
    _check.thread = shared_topic(author)  # type: ignore[attr-defined]
    _check.visitor = browser(app)  # type: ignore[attr-defined]
    _check.staff = browser(app, make_member(role=Role.STAFF))  # type: ignore[attr-defined]


@pytest.mark.parametrize("corpus", ["hostile-inputs.txt", "xss-payloads.txt"])
def test_corpus_in_post_text(app: Flask, checking: None, corpus: str) -> None:
    """Every line of the corpus, as a post's text, goes through card, embed, oEmbed and repost page intact."""
    for line in read_corpus(corpus):  # the staff page (a whole layout) for the shorter corpus only
        _check(app, line, repost_page=corpus == "hostile-inputs.txt")


def test_other_scripts_and_emoji(app: Flask, checking: None) -> None:
    """Arabic, Hebrew, Japanese, emoji sequences and bidi controls draw a card and an embed."""
    for text in OTHER_SCRIPTS:
        _check(app, text)


def test_hostile_author_and_group_names(app: Flask) -> None:
    """A consenting author's name and a group's name full of markup are drawn and escaped, not run."""
    author = make_member(display_name="<img src=x onerror=alert(1)>", repost_consent=True, repost_name_consent=True)
    thread = shared_topic(author)
    thread.topic.group.name = "<script>alert(1)</script> \u202egroup"
    thread.topic.title = '"><script>alert(1)</script><iframe src=javascript:alert(2)>'
    db.session.commit()
    visitor = browser(app)
    assert Image.open(io.BytesIO(visitor.get(f"/p/{thread.post.id}/card.png").data)).size == (1200, 630)
    embed = visitor.get(f"/embed/p/{thread.post.id}")
    assert executable_markup(BeautifulSoup(embed.data, "html.parser")) == []
    html = BeautifulSoup(
        json.loads(visitor.get(f"/oembed?url=http://localhost/p/{thread.post.id}").data)["html"], "html.parser"
    )
    [iframe] = html.find_all(True)  # our iframe and nothing else: the title stayed an attribute's text
    assert iframe.name == "iframe" and not [name for name in iframe.attrs if name.startswith("on")]
    assert iframe["title"] == thread.topic.title
