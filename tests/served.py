"""The test's own app served over real HTTP in a thread, so that requests truly run at the same moment.

The Flask test client runs one request at a time; races between two clicks need a server with a thread per request.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from flask import Flask, got_request_exception
from werkzeug.serving import make_server

from tests.conftest import FormClient


class ServedApp:
    """A threaded Werkzeug server on loopback for the app, and the exceptions its requests raised."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.socket.getsockname()[1]
        self.errors: list[BaseException] = []
        self._set_cookies: list[str] = []  # of the last requests sent together
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _record(self, sender: Flask, exception: BaseException, **extra: object) -> None:
        self.errors.append(exception)

    def start(self) -> ServedApp:
        got_request_exception.connect(self._record, self.app)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=10)
        got_request_exception.disconnect(self._record, self.app)

    def post_at_once(self, browser: FormClient, paths: list[str], data: dict | None = None) -> list[int]:
        """POST a form to each path from one signed-in browser, all released together; the statuses."""
        token = browser.csrf_token()  # stores the CSRF secret in the browser's session cookie first
        body = urlencode({"csrf_token": token, **(data or {})})
        headers = {**self._signed_in(browser), "Content-Type": "application/x-www-form-urlencoded"}
        return self._at_once("POST", paths, headers, body)

    def post_from_each_at_once(self, browsers: list[FormClient], path: str, data: dict | None = None) -> list[int]:
        """POST the same form to `path` from each signed-in browser (several members), all released together."""
        requests = []
        for one in browsers:
            body = urlencode({"csrf_token": one.csrf_token(), **(data or {})})
            headers = {**self._signed_in(one), "Content-Type": "application/x-www-form-urlencoded"}
            requests.append((path, headers, body))
        return self._send_together("POST", requests)

    def get_at_once(self, browser: FormClient, paths: list[str]) -> list[int]:
        """GET each path from one signed-in browser, all released together; the statuses."""
        return self._at_once("GET", paths, self._signed_in(browser))

    @staticmethod
    def _signed_in(browser: FormClient) -> dict[str, str]:
        cookie = browser.get_cookie("session")
        assert cookie is not None, "sign the browser in first"
        return {"Cookie": f"session={cookie.value}", "Host": "localhost"}

    def _at_once(self, method: str, paths: list[str], headers: dict[str, str], body: str | None = None) -> list[int]:
        return self._send_together(method, [(path, headers, body) for path in paths])

    def flashed(self) -> list[str]:
        """The messages the last requests sent together flashed, read from the session cookies they set."""
        serializer = self.app.session_interface.get_signing_serializer(self.app)  # type: ignore[attr-defined]
        messages = []
        for set_cookie in self._set_cookies:
            if "session=" in set_cookie:
                value = set_cookie.split("session=", 1)[1].split(";", 1)[0]
                messages += [message for _category, message in serializer.loads(value).get("_flashes", [])]
        return messages

    def _send_together(self, method: str, requests: list[tuple[str, dict[str, str], str | None]]) -> list[int]:
        start = threading.Barrier(len(requests))
        statuses: list[int] = []
        self._set_cookies = []

        def send(path: str, headers: dict[str, str], body: str | None) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                connection.connect()  # connected before the barrier, so the requests leave together
                start.wait()
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                statuses.append(response.status)
                self._set_cookies.append(response.getheader("Set-Cookie") or "")
            finally:
                connection.close()

        threads = [threading.Thread(target=send, args=request) for request in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return statuses


@contextmanager
def served(app: Flask) -> Iterator[ServedApp]:
    server = ServedApp(app).start()
    try:
        yield server
    finally:
        server.stop()
