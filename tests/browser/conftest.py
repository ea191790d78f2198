"""Browser fixtures: one gunicorn server and one headless Chromium for the whole run, a fresh context per test.

Without Chromium (or Playwright) the browser tests skip and say why; KINDRED_REQUIRE_BROWSER=1 (set by CI) turns that
skip into a failure so they cannot silently stop running there.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.server import ROOT, Site, serve

CHROMIUM = os.environ.get("KINDRED_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def _missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set KINDRED_CHROMIUM)"
    return None


if (_missing_browser() or "").startswith("Playwright"):
    # Without Playwright the test modules cannot even be imported; this one reports the skip (or the failure).
    collect_ignore_glob = ["test_[!b]*.py"]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Headless Debian Chromium (Playwright's own download is never used)."""
    reason = _missing_browser()
    if reason:
        if os.environ.get("KINDRED_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KINDRED_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do: a picture processed on a busy CI machine may take a few seconds.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(browser) -> Iterator[Site]:  # noqa: ANN001
    """The app under gunicorn on its own SQLite file (see the README: why not TEST_DATABASE_URL).

    A private temporary folder rather than pytest's tmp_path: other pytest runs on the machine prune those."""
    ARTIFACTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kindred-browser-") as folder, serve(Path(folder), ARTIFACTS) as running:
        yield running


@pytest.fixture(autouse=True)
def _app_context(site: Site) -> Iterator[None]:
    """Seeding helpers run in an app bound to the server's database (a request context: services build URLs)."""
    from app.extensions import db

    with site.app.test_request_context():
        yield
        db.session.remove()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """This test's screenshot folder under test-artifacts/, emptied first."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.nodeid.split("::", 1)[-1]).strip("-")
    folder = ARTIFACTS / request.node.path.stem / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(browser, site: Site, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Callable]:  # noqa: ANN001
    """Open a page in a fresh context (its own cookies); a failure leaves a screenshot of every open page."""
    contexts = []

    def _open(width: str = "desktop", **options):  # noqa: ANN202
        context = browser.new_context(base_url=site.url, **{**VIEWPORTS[width], **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    call = getattr(request.node, "report_call", None)
    failed = call is None or call.failed
    for n, context in enumerate(contexts):
        for m, page in enumerate(context.pages if failed else []):
            with contextlib.suppress(Exception):  # a page that crashed has nothing to show
                page.screenshot(path=artifacts / f"last-{n}-{m}.png", full_page=True)
        context.close()


@pytest.fixture(params=list(VIEWPORTS))
def width(request: pytest.FixtureRequest) -> str:
    """Run the test at desktop width and on a 390x844 phone."""
    return request.param
