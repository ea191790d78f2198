"""Kindred served by gunicorn on a free loopback port, against an SQLite file of its own.

Used by the browser tests' fixtures and by `python -m tests.browser.capture` (the README screenshots).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from app import create_app
from app.extensions import db

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


@dataclass
class Site:
    """A running server (`url`) and an app bound to its database, for seeding through the app's own services."""

    url: str
    app: Flask
    log: Path


def create_schema(database_url: str) -> Flask:
    """An app on the database, with the schema created as the test suite does (create_all, search triggers included)."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
        db.session.remove()
    return app


def _server_env(database_url: str, uploads: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINDRED_", "FLASK_", "TEST_DATABASE"))}
    env.pop("REDIS_URL", None)
    env.update(
        KINDRED_ENV="development",  # plain http on loopback: production would mark cookies Secure
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(48),
        KINDRED_RATELIMIT="0",  # journeys sign in many times from one address
        KINDRED_VERIFY_EMAIL="0",  # sign-up journeys go straight on; no mail is read here
        KINDRED_REQUIRE_2FA_ROLES="",  # the demo team has no second factor; the gate has tests of its own
        MAIL_BACKEND="console",
        KINDRED_POSTS_PER_PAGE="100",  # the XSS check puts many payloads on one page
        KINDRED_TOPICS_PER_PAGE="100",
    )
    if uploads is not None:  # pictures posted in the journeys stay in the run's own folder
        env["KINDRED_UPLOADS_DIR"] = str(uploads)
    return env


def _wait_listening(process: subprocess.Popen, log: Path) -> str:
    """Read gunicorn's log until it says where it listens (it picked a free port: bind 127.0.0.1:0)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if "Listening at: " in line:
                return line.split("Listening at: ", 1)[1].split()[0]
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start; its log:\n{log.read_text(errors='replace')}")


def _wait_healthy(url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


@contextmanager
def serve(folder: Path, log_folder: Path | None = None) -> Iterator[Site]:
    """Create a database file in `folder`, start gunicorn on it, and stop gunicorn afterwards."""
    database_url = f"sqlite:///{folder / 'browser.sqlite3'}"
    app = create_schema(database_url)
    # One log per xdist worker: the start-up wait reads "Listening at" from it, and must find its own server's.
    log = (log_folder or folder) / f"gunicorn-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
    command = [sys.executable, "-m", "gunicorn", "--no-control-socket", "--bind", "127.0.0.1:0"]
    command += ["--workers", "2", "--threads", "2", "--timeout", "60", "wsgi:app"]
    with log.open("wb") as log_file:
        env = _server_env(database_url, folder / "uploads")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file)  # noqa: S603
    try:
        url = _wait_listening(process, log)
        _wait_healthy(url)
        yield Site(url=url, app=app, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
