"""Screenshots of the main pages at desktop width and on a phone, for the README.

    .venv/bin/python -m tests.browser.capture docs/screenshots

Serves the demo community (`seed-demo`) with gunicorn on a throwaway database and saves one PNG per page and width
(the visible window, not the whole page, and quantised with pngquant when installed, to keep the files small).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from app.ops.demo import seed_demo
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS
from tests.browser.pages import sign_in
from tests.browser.server import serve
from tests.browser.world import Person

DEMO_MEMBER = Person("member@example.org", "HopefulHeart")
DEMO_MODERATOR = Person("moderator@example.org", "Mod Sam")
DEMO_STAFF = Person("staff@example.org", "Nurse Priya")
# (file name, who is signed in, path)
PAGES = [
    ("home", None, "/"),
    ("group", DEMO_MEMBER, "/g/heart-health"),
    ("topic", DEMO_MEMBER, "/t/1"),
    ("new-topic", DEMO_MEMBER, "/g/heart-health/new"),
    ("queue", DEMO_MODERATOR, "/mod/queue"),
    ("dashboard", DEMO_STAFF, "/staff"),
]


def capture(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, serve(Path(scratch)) as site, sync_playwright() as playwright:
        with site.app.test_request_context():
            seed_demo()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, options in VIEWPORTS.items():
            sessions = {}
            for name, who, path in PAGES:
                if who not in sessions:
                    sessions[who] = browser.new_context(base_url=site.url, **options)
                    if who is not None:
                        sign_in(sessions[who].new_page(), who, password="kindred-demo-password")  # noqa: S106
                page = sessions[who].new_page()
                page.goto(path)
                page.screenshot(path=folder / f"{name}-{width}.png")
                page.close()
            for context in sessions.values():
                context.close()
        browser.close()
    shrink(sorted(folder.glob("*.png")))


def shrink(files: list[Path]) -> None:
    """Quantise the PNGs (about a quarter of the size) when pngquant is installed (apt-get install pngquant)."""
    if files and shutil.which("pngquant"):
        subprocess.run(  # noqa: S603
            ["pngquant", "--quality", "70-90", "--strip", "--force", "--ext", ".png", *map(str, files)],  # noqa: S607
            check=True,
        )


if __name__ == "__main__":
    capture(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
