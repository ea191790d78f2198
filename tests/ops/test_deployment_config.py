"""Settings for running behind a proxy and at scale: forwarded headers, rate limits in production, pool settings."""

from __future__ import annotations

import secrets

import pytest
from flask import request, request_started

from app import create_app
from app.extensions import db
from tests.live_server import free_port


def _remote_addr_seen(proxy_count: int, database_url: str, **headers: str) -> tuple[str, str]:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "PROXY_COUNT": proxy_count})
    seen: dict[str, str] = {}

    def record(sender: object, **extra: object) -> None:
        seen["addr"], seen["scheme"] = request.remote_addr or "", request.scheme

    with request_started.connected_to(record, app):
        app.test_client().get("/healthz", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    with app.app_context():
        db.engine.dispose()
    return seen["addr"], seen["scheme"]


def test_forwarded_headers_are_ignored_by_default(database_url):
    """Without KINDRED_PROXY_COUNT a client cannot choose its address (and dodge rate limits) with X-Forwarded-For."""
    seen = _remote_addr_seen(0, database_url, **{"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    assert seen == ("10.0.0.5", "http")


def test_one_trusted_proxy_supplies_client_address_and_scheme(database_url):
    """With KINDRED_PROXY_COUNT=1 the address nginx appended and its scheme are the client's."""
    headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9", "X-Forwarded-Proto": "https"}
    assert _remote_addr_seen(1, database_url, **headers) == ("203.0.113.9", "https")


def test_production_refuses_to_run_without_rate_limits(database_url):
    """KINDRED_RATELIMIT=0 is for development and load tests: production will not start so."""
    settings = {"SECRET_KEY": secrets.token_urlsafe(48), "SQLALCHEMY_DATABASE_URI": database_url}
    with pytest.raises(RuntimeError, match="KINDRED_RATELIMIT=0"):
        create_app("production", {**settings, "RATELIMIT_ENABLED": False})


def test_pool_settings_come_from_the_environment(monkeypatch):
    """DATABASE_POOL_* variables set the connection pool of each process."""
    import importlib

    import config

    monkeypatch.setenv("DATABASE_POOL_SIZE", "12")
    monkeypatch.setenv("DATABASE_POOL_TIMEOUT", "7")
    try:
        options = importlib.reload(config).Config.SQLALCHEMY_ENGINE_OPTIONS
        assert options["pool_size"] == 12
        assert options["pool_timeout"] == 7
        assert options["pool_pre_ping"] is True
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_rate_limited_pages_work_while_redis_is_down(database_url):
    """With Redis unreachable, sign-in still answers and is still limited (in each process's memory meanwhile)."""
    port = free_port()  # nothing listens there
    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True, "WTF_CSRF_ENABLED": False,
         "REDIS_URL": f"redis://127.0.0.1:{port}/0", "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/0"},
    )  # fmt: skip
    client = app.test_client()
    statuses = [client.post("/login", data={"email": "", "password": ""}).status_code for _ in range(40)]
    with app.app_context():
        db.engine.dispose()
    assert set(statuses) == {422, 429}  # answered (never a 500) and limited
    assert statuses[-1] == 429
