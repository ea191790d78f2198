"""With REDIS_URL set, app processes share their rate-limit counters (SECURITY.md #15, several gunicorn workers).

The second app instance runs in a process of its own, like a second worker: two apps in one process would share
the one `limiter` object anyway, so only another process proves the counter lives in Redis."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]
SECOND_WORKER = """
import json, sys
from app import create_app
overrides = json.loads(sys.argv[1])
app = create_app("testing", overrides)
response = app.test_client().post("/login", data={"email": "worker2@example.org", "password": "not it at all"})
print(response.status_code)
"""


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.once,  # starts a second app process
    pytest.mark.skipif(
        not _redis_reachable(), reason="Redis is not reachable at 127.0.0.1:6379 (start it: see .ci/run start_redis)"
    ),
]
PREFIX = f"kindred-test-{uuid.uuid4().hex}"  # parallel runs never share counters


def shared_settings(database_url: str, prefix: str = PREFIX) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": False,  # a Redis failure must fail this test, not hide behind memory
        "RATELIMIT_KEY_PREFIX": prefix,
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture
def app_overrides(database_url: str) -> dict:
    return shared_settings(database_url)


@pytest.fixture(autouse=True)
def _forget_test_keys():  # noqa: ANN202
    yield
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{PREFIX}*"):
        connection.delete(key)
    connection.close()


def second_worker_login(settings: dict) -> int:
    """One sign-in attempt through a second app instance in another process; its HTTP status."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SECOND_WORKER, json.dumps(settings)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def use_up_the_login_limit(client) -> None:  # noqa: ANN001
    for n in range(6):  # 6 per minute per address
        response = client.post("/login", data={"email": f"worker1-{n}@example.org", "password": "not it at all"})
        assert response.status_code == 422


def test_second_instance_sees_the_first_instances_count(client, database_url):
    """After 6 sign-in attempts on one instance, the 7th on another instance is refused with 429."""
    use_up_the_login_limit(client)
    assert second_worker_login(shared_settings(database_url)) == 429


def test_other_key_prefix_has_its_own_count(client, database_url):
    """The same attempts under another key prefix are not counted: the shared counter is the Redis key."""
    use_up_the_login_limit(client)
    assert second_worker_login(shared_settings(database_url, prefix=f"{PREFIX}-other")) == 422
