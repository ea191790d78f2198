"""A signed-in browser described the way its owner would recognise it ("Firefox on Android"), from the User-Agent.

Only the family and the platform are kept, never the User-Agent itself: with a forum about health, the less that
identifies a device the better. The checks run most specific first, since Edge, Opera and Samsung Internet all
also call themselves Chrome and Safari.
"""

from __future__ import annotations

from app.text.lazy import lazy_text as _l

OTHER = "other"
# (what the User-Agent contains, the family stored), most specific first.
_BROWSERS = (
    (("Edg/", "EdgA/", "EdgiOS/"), "edge"),
    (("OPR/", "Opera", "OPiOS/"), "opera"),
    (("SamsungBrowser/",), "samsung"),
    (("Firefox/", "FxiOS/"), "firefox"),
    (("Chrome/", "CriOS/", "Chromium/"), "chrome"),
    (("Safari/",), "safari"),
)
_PLATFORMS = (
    (("iPhone", "iPad", "iPod"), "ios"),
    (("Android",), "android"),
    (("Windows",), "windows"),
    (("Macintosh", "Mac OS X"), "macos"),
    (("Linux",), "linux"),
)
BROWSER_NAMES = {
    "firefox": _l("Firefox"),
    "edge": _l("Edge"),
    "chrome": _l("Chrome"),
    "safari": _l("Safari"),
    "opera": _l("Opera"),
    "samsung": _l("Samsung Internet"),
    OTHER: _l("Another browser"),
}
PLATFORM_NAMES = {
    "windows": _l("Windows"),
    "macos": _l("macOS"),
    "ios": _l("iOS"),
    "android": _l("Android"),
    "linux": _l("Linux"),
    OTHER: _l("another system"),
}


def _first_match(user_agent: str, table: tuple[tuple[tuple[str, ...], str], ...]) -> str:
    for needles, name in table:
        if any(needle in user_agent for needle in needles):
            return name
    return OTHER


def describe(user_agent: str | None) -> tuple[str, str]:
    """The browser family and the platform to store for this User-Agent ("other" for what we do not know)."""
    user_agent = (user_agent or "")[:1000]
    return _first_match(user_agent, _BROWSERS), _first_match(user_agent, _PLATFORMS)


def browser_name(family: str) -> str:
    """The family as the member reads it, in their language."""
    return str(BROWSER_NAMES.get(family, BROWSER_NAMES[OTHER]))


def platform_name(platform: str) -> str:
    """The platform as the member reads it, in their language."""
    return str(PLATFORM_NAMES.get(platform, PLATFORM_NAMES[OTHER]))
