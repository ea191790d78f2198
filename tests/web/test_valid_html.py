"""The main pages are valid HTML, as the Nu HTML Checker (the W3C's validator) reads them.

The pages the pseudo-locale test renders, as a visitor, a member, a moderator and staff on the demo community, are
written to files and checked in one Java run (one JVM start). The checker is the `vnu-jar` npm package pinned in
tests/tools/package-lock.json, installed there with `npm ci` on first use. Without Java the test skips, unless
KINDRED_REQUIRE_BROWSER=1 (CI) makes that a failure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.extensions import db
from app.models import Member
from app.web.forms import PageForm
from tests.conftest import FormClient, sign_in
from tests.factories import make_member
from tests.support import last_link
from tests.web.main_pages import AS, demo_world

TOOLS = Path(__file__).resolve().parents[1] / "tools"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _cannot_check(reason: str) -> None:
    if os.environ.get("KINDRED_REQUIRE_BROWSER") == "1":
        pytest.fail(f"KINDRED_REQUIRE_BROWSER=1 but the HTML check cannot run: {reason}", pytrace=False)
    pytest.skip(f"HTML check skipped: {reason}")


def _install_checker() -> None:
    """`npm ci` in tests/tools: the pinned checker, without its install script (it would download a Java)."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(f"npm is needed to install the HTML checker into {TOOLS} (apt-get install npm)", pytrace=False)
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    done = subprocess.run(command, cwd=TOOLS, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    if done.returncode != 0 or not VNU_JAR.is_file():
        pytest.fail(f"`npm ci` in {TOOLS} did not install vnu.jar:\n{done.stdout}{done.stderr}", pytrace=False)


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs the Nu HTML Checker."""
    java = shutil.which("java")
    if java is None:
        _cannot_check("Java is not installed (apt-get install openjdk-17-jre-headless)")
    if not VNU_JAR.is_file():
        _install_checker()
    return [str(java), "-jar", str(VNU_JAR)]


def checker_errors(vnu: list[str], files: list[Path]) -> list[dict]:
    """Every error the checker finds in these files (warnings aside), in one run."""
    command = [*vnu, "--errors-only", "--format", "json", "--stdout", "--exit-zero-always", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    try:
        messages = json.loads(done.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"the HTML checker gave no report:\n{done.stdout}{done.stderr}", pytrace=False)
    return [m for m in messages if m.get("type") != "info"]


def render_main_pages(app: Flask, folder: Path) -> dict[str, str]:
    """Write each role's main pages into `folder`; returns file name -> "role URL"."""
    world = demo_world()
    written = {}
    for role, (email, pages) in AS.items():
        client = app.test_client()
        if email:
            sign_in(client, db.session.scalars(select(Member).where(Member.email == email)).one())
        for number, page in enumerate(pages):
            url = page.format(**world)
            response = client.get(url)
            assert response.status_code in (200, 404), url
            name = f"{role}-{number:02d}.html"
            (folder / name).write_bytes(response.data)
            written[name] = f"{role} {url}"
    return written


def describe(error: dict, pages: dict[str, str]) -> str:
    page = pages.get(Path(error.get("url", "")).name, error.get("url", "?"))
    extract = " ".join(error.get("extract", "").split())
    return f"{page} (line {error.get('lastLine', '?')}): {error.get('message')}\n    {extract}"


@pytest.mark.once  # starts a JVM; the pages' HTML does not depend on the database
def test_main_pages_are_valid_html_for_every_role(app: Flask, tmp_path: Path, vnu: list[str]) -> None:
    """No page of the list, for any role, has an error the Nu HTML Checker reports."""
    pages = render_main_pages(app, tmp_path)
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    problems = sorted({describe(error, pages) for error in errors})
    if problems:
        pytest.fail(f"the Nu HTML Checker found {len(problems)} errors:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.once
@pytest.mark.parametrize("app_overrides", [{"EMAIL_LOGIN": True}], ids=["email-login"])
def test_sign_in_link_pages_are_valid_html(app: Flask, tmp_path: Path, vnu: list[str]) -> None:
    """The sign-in page with both forms (also with the link form refused), a link's page and a spent link's page."""
    member = make_member()
    client: FormClient = app.test_client()  # type: ignore[assignment]
    pages = {"login.html": client.get("/login"), "refused.html": client.post_form("/login/email-link", {"email": ""})}
    client.post_form("/login/email-link", {"email": member.email})
    link = last_link(member.email)
    pages["link.html"] = client.get(link)
    client.post_form(link)
    pages["spent.html"] = app.test_client().get(link)
    assert [r.status_code for r in pages.values()] == [200, 422, 200, 400]
    for name, response in pages.items():
        (tmp_path / name).write_bytes(response.data)
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    problems = sorted({describe(error, {name: name for name in pages}) for error in errors})
    assert problems == []


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found))


def test_every_form_derives_from_the_page_form(app: Flask) -> None:
    """Every form of the app leaves its hidden fields without an id, so two forms on a page never repeat one."""
    ours = {form for form in _subclasses(FlaskForm) if form.__module__.startswith("app.")}
    assert ours, "the app's forms were not imported"
    assert sorted(f"{f.__module__}.{f.__qualname__}" for f in ours if not issubclass(f, PageForm)) == []
