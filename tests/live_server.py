"""Real app processes for tests and the load script: gunicorn on a free loopback port, and a tiny cookie browser.

Used by tests/ops/test_app_processes.py and bench/load.py. Everything stays on 127.0.0.x; a browser may bind another
loopback address (127.0.0.2-127.0.0.254) so that per-address rate limits see it as a different visitor.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    """A TCP port nothing listens on right now (the kernel picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """`gunicorn wsgi:app` with its own environment, started and stopped by the caller."""

    def __init__(
        self, env: dict[str, str], workers: int = 1, log_path: Path | None = None, extra_args: tuple[str, ...] = ()
    ) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env}
        self.workers = workers
        self.log_path = log_path
        self.extra_args = extra_args  # e.g. ("--access-logfile", "-") for a log of every answer's status
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 20) -> AppServer:
        """Start and wait until /healthz answers."""
        self.launch()
        return self.wait_until_ready(timeout)

    def launch(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "--no-control-socket", "--workers", str(self.workers),
                   "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5",
                   *self.extra_args, "wsgi:app"]  # fmt: skip
        if self.log_path:
            with open(self.log_path, "ab") as log:  # the child keeps its own copy of the file
                self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)  # noqa: S603
        else:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)  # noqa: S603

    def wait_until_ready(self, timeout: float = 20) -> AppServer:
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode} (log: {self.log_path})")
            try:
                if Browser(self.port).get("/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on port {self.port} within {timeout} s")

    def request_stop(self) -> None:
        """Ask for a quick shutdown (SIGINT) without waiting: stop several servers at once."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.request_stop()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    """One visitor: keeps its cookies, sends forms with their CSRF token, one connection per request."""

    def __init__(self, port: int, source_ip: str = "127.0.0.1", timeout: float = 30) -> None:
        self.port, self.source_ip, self.timeout = port, source_ip, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source_ip, 0)
        )
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return response

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                expired = morsel["expires"] and "1970" in morsel["expires"] or morsel["max-age"] == "0"
                if expired or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def csrf_token(self) -> str:
        page = self.get("/login")
        if page.status == 302:  # signed in: the sign-out form in the header carries a token
            page = self.get("/guidelines")
        match = CSRF_RE.search(page.text)
        if not match:
            raise RuntimeError(f"no CSRF token on the page (status {page.status})")
        return match.group(1)

    def post_form(self, path: str, data: dict | None = None, token: str | None = None) -> Response:
        """POST like a browser form, with a CSRF token (fetched from a page unless one is given)."""
        fields = {"csrf_token": token or self.csrf_token(), **(data or {})}
        body = urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def sign_in(self, email: str, password: str) -> None:
        response = self.post_form("/login", {"email": email, "password": password})
        if response.status != 302:
            raise RuntimeError(f"sign-in failed for {email}: {response.status}")
