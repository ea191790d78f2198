"""Fixtures: one app per configuration for the whole run, on a database emptied after each test (SQLite, or
PostgreSQL via TEST_DATABASE_URL); each pytest-xdist worker has a database of its own."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, got_request_exception, request_finished
from flask import request as current_request
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits.storage import MemoryStorage
from sqlalchemy import create_engine, event, make_url, text

from app import create_app
from app.extensions import db, limiter
from tests.s3 import S3Server
from tests.smtp import SMTPServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run once, in the SQLite pass: their server keeps an SQLite file of its own anyway. So do the
    tests of the XSS corpus: whether markup is escaped is decided in rendering, whatever the database, while the
    odd-Unicode corpus (hostile-inputs.txt: NUL, surrogates, long lines), which databases do treat differently, runs
    on both."""
    for item in items:
        if "browser" in item.path.parts or "xss-payloads" in item.nodeid or "xss_payloads" in item.nodeid:
            item.add_marker(pytest.mark.once)


@pytest.fixture(autouse=True)
def _no_unexpected_server_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """The server's log, checked: a test during which any app raised or answered 5xx fails, unless it is marked
    `server_error` (it provokes one on purpose: a broken view, a database that is down)."""
    seen: list[str] = []

    def raised(sender: Flask, exception: BaseException, **extra: object) -> None:
        seen.append(f"{type(exception).__name__}: {exception}")

    def answered(sender: Flask, response: Any, **extra: object) -> None:
        if response.status_code >= 500:
            seen.append(f"{response.status_code} for {current_request.method} {current_request.path}")

    got_request_exception.connect(raised)  # every app: tests build their own apps too
    request_finished.connect(answered)
    yield
    got_request_exception.disconnect(raised)
    request_finished.disconnect(answered)
    if seen and request.node.get_closest_marker("server_error") is None:
        pytest.fail("server errors during the test (mark it server_error if it expects them):\n" + "\n".join(seen))


def _worker_database(url: str, worker: str) -> str:
    """PostgreSQL: a new database for this xdist worker beside TEST_DATABASE_URL's (`kindred_test_gw0`, ...)."""
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # A throwaway database: a commit need not wait for the disk (crash safety is not what the tests test).
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[str]:
    """The test database, with the schema created once for the whole run."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url and worker_id != "master":
        url = _worker_database(url, worker_id)
    url = url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
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
            # DELETE, not TRUNCATE: on tables this small it is five times faster (no new files for every table).
            tables = reversed(db.metadata.sorted_tables)
            connection.execute(text("; ".join(f'DELETE FROM "{table.name}"' for table in tables)))  # noqa: S608
            used = connection.scalars(
                text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() AND last_value > 0")
            ).all()
            if used:
                connection.execute(text("SELECT " + ", ".join(f"setval('\"{name}\"', 1, false)" for name in used)))
        else:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
            if connection.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first():
                connection.execute(text("DELETE FROM sqlite_sequence"))


def _empty_local_uploads(app: Flask) -> None:
    """Each test starts with an empty picture store (the test settings keep it in a temporary directory)."""
    directory = app.config.get("UPLOADS_DIR")
    if directory and os.path.realpath(directory).startswith(os.path.realpath(tempfile.gettempdir()) + os.sep):
        shutil.rmtree(directory, ignore_errors=True)


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
        """The token this browser's forms carry, made as Flask-WTF makes it, without loading a page for it.

        Read from the session cookie, and made once per session secret: the corpus tests post thousands of forms,
        and opening and re-signing the session for each cost a good part of every request."""
        secret = self._session_value("csrf_token")
        if secret is None:
            with self.session_transaction() as session:
                secret = session.setdefault("csrf_token", hashlib.sha1(os.urandom(64)).hexdigest())  # noqa: S324 - as Flask-WTF
        cached = getattr(self, "_csrf_for", None)
        if cached is None or cached[0] != secret:
            token = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(secret)
            cached = self._csrf_for = (secret, token)
        return cached[1]

    def _session_value(self, key: str) -> Any:
        """A value of this browser's session as its cookie holds it, or None."""
        cookie = self.get_cookie(self.application.config["SESSION_COOKIE_NAME"])
        serializer = self.application.session_interface.get_signing_serializer(self.application)  # type: ignore[attr-defined]
        if cookie is None or serializer is None:
            return None
        try:
            return serializer.loads(cookie.value).get(key)
        except BadSignature:
            return None

    def post_form(self, url: str, data: dict | None = None, **kwargs):  # noqa: ANN201
        """POST like a browser form, CSRF token included."""
        return self.post(url, data={"csrf_token": self.csrf_token(), **(data or {})}, **kwargs)


@pytest.fixture
def app_overrides() -> dict:
    """Tests override this to change configuration (e.g. to switch rate limits on)."""
    return {}


class _AppState:
    """An app built once for a configuration, with what each test must find as it was built."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.config = dict(app.config)
        # Flask-Limiter keeps its settings on the one `limiter` object, last app's wins: each test restores its own.
        self.limiter = dict(vars(limiter))

    def reset(self) -> Flask:
        self.app.config.clear()
        self.app.config.update(self.config)
        vars(limiter).clear()
        vars(limiter).update(self.limiter)
        storage = self.limiter["_storage"]
        if isinstance(storage, MemoryStorage):  # Redis counters belong to the test's own key prefix
            storage.reset()
        if "kindred_page_cache" in self.app.extensions:
            self.app.extensions["kindred_page_cache"].clear()
        return self.app


_APPS: dict[str, _AppState] = {}
_app_in_use: str | None = None


def _configured_app(database_url: str, overrides: dict[str, Any], own: bool) -> Flask:
    """The app for these settings: built on first use and reused by later tests (routes and templates compiled
    once), or built for this test alone when it is marked `own_app` (it changes the app itself)."""
    config = {"SQLALCHEMY_DATABASE_URI": database_url, **overrides}
    key = repr(sorted(config.items()))
    global _app_in_use
    if _app_in_use not in (None, key):  # only the app in use keeps connections open (PostgreSQL allows 100)
        _close_connections(_APPS[_app_in_use].app)
    _app_in_use = None if own else key
    if own or key not in _APPS:
        app = create_app("testing", config)
        app.test_client_class = FormClient
        if own:
            return app
        _APPS[key] = _AppState(app)
    return _APPS[key].reset()


def _close_connections(app: Flask) -> None:
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _dispose_apps() -> Iterator[None]:
    yield
    for state in _APPS.values():
        _close_connections(state.app)
    _APPS.clear()


@pytest.fixture
def app(database_url: str, app_overrides: dict, request: pytest.FixtureRequest) -> Iterator[Flask]:
    own = request.node.get_closest_marker("own_app") is not None
    app = _configured_app(database_url, app_overrides, own)
    with app.app_context():
        yield app
        _empty_all_tables()
        _empty_local_uploads(app)
        if own:
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FormClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def runner(app: Flask):  # noqa: ANN201
    return app.test_cli_runner()


def sign_in(client: FormClient, member) -> None:  # noqa: ANN001
    """Sign a member in as the login form does (a new sign-in session in a fresh cookie), without the form."""
    from app.services.members.accounts import start_session

    login_session = start_session(member)
    with client.application.test_request_context(environ_base=client.environ_base):
        browser_identifier = _create_identifier()  # what Flask-Login's session protection compares
    with client.session_transaction() as session:
        session.clear()
        session.update(_user_id=login_session.token, _fresh=True, _id=browser_identifier)


@pytest.fixture
def login_as(client: FormClient):  # noqa: ANN201
    """Sign a member in; tests of signing in itself use `login_through_form`."""

    def _login(member) -> None:  # noqa: ANN001
        sign_in(client, member)

    return _login


@pytest.fixture
def login_through_form(client: FormClient):  # noqa: ANN201
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


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """An SMTP server running for the test."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """A real S3 API server (moto) on loopback, started once for the run."""
    server = S3Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_uploads(s3_server: S3Server) -> dict[str, str]:
    """App settings for pictures kept in an emptied bucket of the test S3 server (use them as app_overrides)."""
    return s3_server.empty_bucket()


@pytest.fixture
def findings(app: Flask):  # noqa: ANN201
    """The hostile-input tests' problem list, with every server error the app raised meanwhile."""
    from tests.support import Findings  # support imports this module

    server_errors: list[BaseException] = []

    def record(sender: Flask, exception: BaseException, **extra: object) -> None:
        server_errors.append(exception)

    got_request_exception.connect(record, app)
    yield Findings(server_errors)
    got_request_exception.disconnect(record, app)
