"""Video links: YouTube and Vimeo links are cooked into click-to-play cards that load nothing from the host until
clicked; every other link stays a plain link; the sanitiser and the CSP stay strict."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from app.text.rendering import cook, sanitize_html
from tests.factories import make_post
from tests.support import browser, soup, topic_url

STATIC = Path(__file__).resolve().parents[2] / "static"
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def card(markdown: str):  # noqa: ANN201
    return BeautifulSoup(cook(markdown), "html.parser").find("a", class_="video-card")


@pytest.mark.parametrize(
    ("url", "host", "video_id", "href"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ", YOUTUBE),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s&list=x", "youtube", "dQw4w9WgXcQ", YOUTUBE),
        ("http://m.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ", YOUTUBE),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", "youtube", "dQw4w9WgXcQ", YOUTUBE),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ", YOUTUBE),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ", YOUTUBE),
        ("https://vimeo.com/76979871", "vimeo", "76979871", "https://vimeo.com/76979871"),
        ("https://player.vimeo.com/video/76979871", "vimeo", "76979871", "https://vimeo.com/76979871"),
        ("https://vimeo.com/channels/staffpicks/76979871", "vimeo", "76979871", "https://vimeo.com/76979871"),
    ],
)
def test_video_links_become_cards_with_a_canonical_link(url: str, host: str, video_id: str, href: str) -> None:
    """A video page on YouTube or Vimeo is cooked into a card linking to the video's canonical page."""
    found = card(url)
    assert (found["href"], found["data-video-host"], found["data-video-id"]) == (href, host, video_id)


def test_card_says_where_the_video_is_and_keeps_the_link_text() -> None:
    """The card names the host ahead of the member's own link text."""
    assert card(f"[Breathing exercises]({YOUTUBE})").get_text() == "Video on YouTube Breathing exercises"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onmouseover%3D",
        "https://www.youtube.com/@channel",
        "https://vimeo.com/about",
        "https://user:pw@youtube.com/watch?v=dQw4w9WgXcQ",
        "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
    ],
)
def test_other_links_stay_plain_links(url: str) -> None:
    """Look-alike hosts, malformed ids and other pages of the hosts are ordinary links (or no link at all)."""
    assert card(f"<{url}>") is None


def test_cooked_card_loads_nothing_from_the_host() -> None:
    """The stored HTML has no iframe, image, script or other element that would fetch from YouTube on its own."""
    cooked = BeautifulSoup(cook(f"Watch this: {YOUTUBE}"), "html.parser")
    assert cooked.find_all(["iframe", "img", "script", "object", "embed", "video", "link"]) == []
    assert all(not element.get("src") for element in cooked.find_all(True))


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        (
            '<a href="https://x.example" class="video-card">v</a>',
            '<a href="https://x.example" class="video-card">v</a>',
        ),
        ('<a href="https://x.example" class="button">v</a>', '<a href="https://x.example">v</a>'),
        ('<a href="https://x.example" data-video-host="dailymotion">v</a>', '<a href="https://x.example">v</a>'),
        ('<a href="https://x.example" data-video-id="x&quot;><script>">v</a>', '<a href="https://x.example">v</a>'),
        ('<p class="video-card">v</p>', "<p>v</p>"),
        ('<a href="javascript:alert(1)" class="video-card">v</a>', '<a class="video-card">v</a>'),
    ],
)
def test_sanitiser_allows_the_card_markers_only_with_their_exact_values(html: str, kept: str) -> None:
    """class="video-card" and the data attributes survive only on links, only with well-formed values."""
    assert sanitize_html(html) == kept


def test_topic_page_shows_the_card_and_loads_the_player_script(app: Flask) -> None:
    """A post with a video link shows the card; the page loads static/video.js (a file, as the CSP requires)."""
    post = make_post(body=f"This helped me: {YOUTUBE}")
    page = soup(browser(app).get(topic_url(post.topic)))
    assert page.select_one(f"#p{post.id} a.video-card")["href"] == YOUTUBE
    assert page.select_one('script[src^="/static/video.js?v="]') is not None


def test_csp_allows_only_the_privacy_enhanced_youtube_frame(app: Flask) -> None:
    """frame-src names youtube-nocookie.com alone; scripts, images and everything else stay 'self'."""
    policy = browser(app).get("/").headers["Content-Security-Policy"]
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["frame-src"] == "https://www.youtube-nocookie.com"
    assert (directives["default-src"], directives["script-src"], directives["img-src"]) == (
        "'self'",
        "'self'",
        "'self' data:",
    )


def test_player_script_swaps_in_youtube_nocookie_only() -> None:
    """video.js builds only youtube-nocookie.com players, from an id it checks again itself."""
    script = (STATIC / "video.js").read_text()
    assert "https://www.youtube-nocookie.com/embed/" in script and "/^[A-Za-z0-9_-]{11}$/" in script
    assert "youtube.com/embed" not in script.replace("youtube-nocookie.com/embed", "")
