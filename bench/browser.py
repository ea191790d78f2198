"""A member's side of the benchmark over real HTTP: sign in through the form, and post replies while others read."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


class Browser:
    """Cookies kept between requests, like a browser; redirects are returned, not followed."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, data: dict[str, str]) -> int:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base_url + path, data=body, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as answer:  # 3xx (not followed) and errors both arrive here
            return answer.code

    def csrf_token(self, path: str) -> str:
        return CSRF_RE.search(self.get(path)).group(1)

    def sign_in(self, email: str, password: str) -> str:
        """Sign in through the real form; returns the Cookie header that carries the session."""
        token = self.csrf_token("/login")
        status = self.post("/login", {"email": email, "password": password, "csrf_token": token})
        if status != 302:
            raise RuntimeError(f"signing in answered {status}, not a redirect")
        # Land where a browser does after signing in: that page shows the welcome message and starts the session's
        # CSRF token, so the cookie returned is the one a browser would send from then on.
        self.get("/")
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


@dataclass
class Replier:
    """Posts a reply every `interval` seconds in a thread, timing each POST (ms) until stopped."""

    browser: Browser
    topic_id: int
    interval: float = 0.2
    latencies: list[float] = field(default_factory=list)
    failures: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._token = self.browser.csrf_token("/")  # the sign-out form carries one
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            body = f"Benchmark reply {n} at {time.time():.3f}: thank you, pacing myself helped too."
            started = time.perf_counter()
            status = self.browser.post(f"/t/{self.topic_id}/reply", {"body": body, "csrf_token": self._token})
            elapsed = time.perf_counter() - started
            self.latencies.append(elapsed * 1000)
            self.failures += status != 302
            self._stop.wait(max(0.0, self.interval - elapsed))
