"""Screenshots of the main pages as every role, at desktop width and on a phone, to compare the look before and after.

    .venv/bin/python -m tools.look_shots /work/shots-header-look/before

Serves the demo community (`seed-demo`) on a throwaway database, like tests/browser/capture.py (the README's
screenshots); saves <role>-<page>-<width>.png (the first screen) and <role>-<page>-<width>-full.png (the whole page).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from app.ops.demo import DEMO_PASSWORD, seed_demo
from tests.browser.capture import shrink
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS
from tests.browser.pages import sign_in
from tests.browser.world import Person

ROLES = {
    "visitor": None,
    "member": Person("member@example.org", "HopefulHeart"),
    "mentor": Person("mentor@example.org", "Mentor Grace"),
    "moderator": Person("moderator@example.org", "Mod Sam"),
    "staff": Person("staff@example.org", "Nurse Priya"),
}
PAGES = {
    "home": "/",
    "group": "/g/heart-health",
    "topic": "/t/1",
    "queue": "/mod/queue",
    "dashboard": "/staff",
    "mentoring": "/mentor",
    "notifications": "/notifications",
}
# Who may see which page (others would only see a refusal).
SIGNED_IN = {"member", "mentor", "moderator", "staff"}
SEEN_BY = {
    "queue": {"moderator", "staff"},
    "dashboard": {"staff"},
    "mentoring": {"mentor", "moderator", "staff"},
    "notifications": SIGNED_IN,
}


def shoot(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, serve_demo(Path(scratch)) as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, options in VIEWPORTS.items():
            for role, who in ROLES.items():
                context = browser.new_context(base_url=site.url, **options)
                if who is not None:
                    sign_in(context.new_page(), who, password=DEMO_PASSWORD)
                for name, path in PAGES.items():
                    if role not in SEEN_BY.get(name, {role}):
                        continue
                    page = context.new_page()
                    page.goto(path)
                    page.screenshot(path=folder / f"{role}-{name}-{width}.png")
                    page.screenshot(path=folder / f"{role}-{name}-{width}-full.png", full_page=True)
                    page.close()
                context.close()
        browser.close()
    shrink(sorted(folder.glob("*.png")))


def serve_demo(folder: Path):  # noqa: ANN201
    from contextlib import contextmanager

    from tests.browser.server import serve

    @contextmanager
    def _running():  # noqa: ANN202
        with serve(folder) as site:
            with site.app.test_request_context():
                seed_demo()
            yield site

    return _running()


if __name__ == "__main__":
    shoot(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shots-header-look/latest"))
