"""Fixtures: an app per test on a database emptied after each test (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

from app import create_app
from app.extensions import db

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test database, with the schema created once for the whole run."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    yield url


def _empty_all_tables() -> None:
    db.session.remove()  # an open transaction would make PostgreSQL wait forever below
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
            if connection.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first():
                connection.execute(text("DELETE FROM sqlite_sequence"))


class FormClient(FlaskClient):
    """A browser: each request runs in an app context of its own, as on a server, and forms carry their CSRF token.

    The `app` fixture keeps one app context open for the test's own database work. Flask would reuse it for
    requests, so the signed-in member and CSRF token cached on `g` would leak from one browser to the next and
    views would share the test's session. Afterwards the test's session is expired, so it reads what the
    request wrote.
    """

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        page = self.get("/login")
        if page.status_code == 302:  # signed in: the sign-out form in the header carries a token
            page = self.get("/guidelines")
        match = CSRF_RE.search(page.get_data(as_text=True))
        assert match, "no CSRF token found on the page"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, **kwargs):  # noqa: ANN201
        """POST like a browser form, CSRF token included."""
        return self.post(url, data={"csrf_token": self.csrf_token(), **(data or {})}, **kwargs)


@pytest.fixture
def app_overrides() -> dict:
    """Tests override this to change configuration (e.g. to switch rate limits on)."""
    return {}


@pytest.fixture
def app(database_url: str, app_overrides: dict) -> Iterator[Flask]:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, **app_overrides})
    app.test_client_class = FormClient
    with app.app_context():
        yield app
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FormClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def runner(app: Flask):  # noqa: ANN201
    return app.test_cli_runner()


@pytest.fixture
def login_as(client: FormClient):  # noqa: ANN201
    """Sign a member in through the real login form."""
    from tests.factories import PASSWORD

    def _login(member, password: str = PASSWORD) -> None:  # noqa: ANN001
        response = client.post_form("/login", {"email": member.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)

    return _login


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask):  # noqa: ANN201
    """Context manager counting the SQL statements run inside it."""
    from contextlib import contextmanager

    @contextmanager
    def _count() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
            counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return _count


def make_engine(url: str):  # noqa: ANN201 - for tests needing their own connections
    return create_engine(url)
