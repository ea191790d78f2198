"""Each page in-process, without the page cache: SQL statements per request (counted at the engine) and render time."""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.extensions import db

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TIMED_REQUESTS = 9


@dataclass(frozen=True)
class InProcess:
    statements: int
    render_ms: float  # median time of one request through the test client: the page's own cost, no HTTP


def sign_in(client: FlaskClient, email: str, password: str) -> None:
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert answer.status_code == 302, f"signing in answered {answer.status_code}"


def measure_pages(app: Flask, pages: dict[str, str], email: str | None, password: str | None) -> dict[str, InProcess]:
    """Statements and render time of each page for a visitor (email None) or a signed-in member, after a warm-up."""
    assert not app.config["PAGE_CACHE"], "measure what a page costs to render, not a cache hit"
    client = app.test_client()
    if email:
        sign_in(client, email, password or "")
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        statements.append(statement)

    figures = {}
    for name, url in pages.items():
        client.get(url)
        event.listen(engine, "before_cursor_execute", count)
        try:
            statements.clear()
            response = client.get(url)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        figures[name] = InProcess(len(statements), _median_ms(client, url))
    return figures


def _median_ms(client, url: str) -> float:  # noqa: ANN001
    timings = []
    for _ in range(TIMED_REQUESTS):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
