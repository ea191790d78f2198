"""Links to videos on well-known hosts, recognised so that posts show them as click-to-play cards.

A card is an ordinary link (nothing is loaded from the host until the reader clicks); static/video.js may swap a
YouTube card for a youtube-nocookie.com player on click. Only the host's name and the video's id are kept, both
checked against the patterns below, and the link is rebuilt from them, so no other part of the URL survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

VIDEO_ID_PATTERNS = {"youtube": re.compile(r"[A-Za-z0-9_-]{11}"), "vimeo": re.compile(r"[0-9]{1,12}")}
HOST_LABELS = {"youtube": "YouTube", "vimeo": "Vimeo"}
YOUTUBE_HOSTS = frozenset({"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"})
YOUTUBE_PATH_PREFIXES = ("/embed/", "/shorts/", "/live/", "/v/")


@dataclass(frozen=True)
class Video:
    host: str  # "youtube" or "vimeo"
    id: str

    @property
    def url(self) -> str:
        """The canonical page of the video on its host."""
        if self.host == "youtube":
            return f"https://www.youtube.com/watch?v={self.id}"
        return f"https://vimeo.com/{self.id}"

    @property
    def label(self) -> str:
        return HOST_LABELS[self.host]


def is_video_id(host: str, value: str) -> bool:
    """Whether `value` is a well-formed id for `host` (used by the sanitiser's allow-list too)."""
    pattern = VIDEO_ID_PATTERNS.get(host)
    return pattern is not None and pattern.fullmatch(value) is not None


def _youtube_id(host: str, path: str, query: str) -> str | None:
    if host == "youtu.be":
        return path.strip("/").split("/")[0]
    if host not in YOUTUBE_HOSTS:
        return None
    if path in ("/watch", "/watch/"):
        return (parse_qs(query).get("v") or [""])[0]
    for prefix in YOUTUBE_PATH_PREFIXES:
        if path.startswith(prefix):
            return path.removeprefix(prefix).split("/")[0]
    return None


def _vimeo_id(host: str, path: str) -> str | None:
    segments = [part for part in path.split("/") if part]
    if host == "vimeo.com" and segments:
        return segments[-1] if len(segments) == 1 or segments[0] in ("channels", "groups") else None
    if host == "player.vimeo.com" and len(segments) == 2 and segments[0] == "video":
        return segments[1]
    return None


def parse_video(url: str) -> Video | None:
    """The video a link points to, when it is a YouTube or Vimeo video page; None for every other link."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or parts.username or parts.password:
        return None
    for name, video_id in (
        ("youtube", _youtube_id(host, parts.path, parts.query)),
        ("vimeo", _vimeo_id(host, parts.path)),
    ):
        if video_id is not None and is_video_id(name, video_id):
            return Video(name, video_id)
    return None
