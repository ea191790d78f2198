"""A real OpenID Connect provider on loopback for the tests: `oidc-provider` from npm, run with Node (provider.mjs),
behind a small proxy of the tests' own that can spoil the ID tokens the provider issues.

Everything the app sees is real HTTP from a certified provider: discovery, the JWKS, the token endpoint. The proxy
passes every request through unchanged unless a test asks it to spoil the next token response: sign the ID token
with another key (same key id), give it another audience, make it expired, or answer with the ID token of an
earlier sign-in (a replayed nonce). The provider's signing key is made here, so the proxy can re-sign claims
it changed with the provider's real key: then the changed claim is the only thing wrong with the token.
"""

from __future__ import annotations

import fcntl
import http.client
import json
import os
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

HERE = Path(__file__).resolve().parent
PROVIDER_SCRIPT = HERE / "provider.mjs"
INSTALLED = HERE / "node_modules" / "oidc-provider" / "package.json"
CLIENT_ID = "kindred-test"
CLIENT_SECRET = "a-client-secret-for-the-tests-only-0123456789"  # noqa: S105
REDIRECT_URI = "http://localhost/login/oidc/callback"  # where the Flask test client answers
KEY_ID = "provider-key-1"
SPOILS = frozenset({"wrong_key", "wrong_audience", "expired", "replay"})


def install() -> None:
    """`npm ci` in tests/oidc the first time, under a file lock so parallel test workers install it once."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        pytest.fail("node and npm run the OpenID Connect provider (apt-get install nodejs npm)", pytrace=False)
    with open(HERE / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if INSTALLED.is_file():
            return
        command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
        done = subprocess.run(command, cwd=HERE, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
        if done.returncode != 0 or not INSTALLED.is_file():
            pytest.fail(f"`npm ci` in {HERE} did not install oidc-provider:\n{done.stdout}{done.stderr}", pytrace=False)


def _signing_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"}, private=True)


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, provider: OidcProvider) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.provider = provider


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _Proxy

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet, the tests read no access log
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._forward()

    def do_POST(self) -> None:  # noqa: N802
        self._forward()

    def _forward(self) -> None:
        provider = self.server.provider
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "accept-encoding")}
        upstream = http.client.HTTPConnection("127.0.0.1", provider.node_port, timeout=30)
        try:
            upstream.request(self.command, self.path, body=body, headers={**headers, "Host": provider.netloc})
            answer = upstream.getresponse()
            status, answer_headers, content = answer.status, answer.getheaders(), answer.read()
        finally:
            upstream.close()
        if urlsplit(self.path).path == "/token" and status == 200:
            content = provider.spoil_token_response(content)
        self.send_response(status)
        for name, value in answer_headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "keep-alive"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(content)


class OidcProvider:
    """The provider process and its proxy; `issuer` is the proxy's address, the only one the app is given."""

    def __init__(self, accounts: dict[str, dict[str, Any]]) -> None:
        self.accounts = accounts
        self.key = _signing_key()
        self.proxy = _Proxy(self)
        self.issuer = f"http://127.0.0.1:{self.proxy.server_address[1]}"
        self.netloc = urlsplit(self.issuer).netloc
        self.node_port = 0
        self.process: subprocess.Popen | None = None
        self.spoil: str | None = None  # applied to the next token response only
        self.id_tokens: list[str] = []  # every ID token the provider issued, as it issued them
        self._thread = threading.Thread(target=self.proxy.serve_forever, daemon=True)
        self._drain: threading.Thread | None = None

    def start(self) -> OidcProvider:
        config = {
            "issuer": self.issuer,
            "port": 0,
            "client": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [REDIRECT_URI]},
            "jwks": {"keys": [self.key.as_dict(private=True)]},
            "accounts": self.accounts,
        }
        env = {**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)}
        command = [shutil.which("node") or "node", str(PROVIDER_SCRIPT)]
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.node_port = self._wait_for_port()
        self._thread.start()
        return self

    def _wait_for_port(self) -> int:
        assert self.process is not None and self.process.stdout is not None
        output = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("listening "):
                self._drain = threading.Thread(target=self.process.stdout.read, daemon=True)  # keep the pipe drained
                self._drain.start()
                return int(line.split()[1])
            if not line and self.process.poll() is not None:
                break
            output.append(line)
        self.stop()
        raise RuntimeError("the OpenID Connect provider did not start:\n" + "".join(output))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process is not None and self.process.stdout is not None:
            if self._drain is not None:
                self._drain.join(timeout=10)
            self.process.stdout.close()
        if self._thread.is_alive():
            self.proxy.shutdown()
        self.proxy.server_close()

    def settings(self, **more: str) -> dict[str, str]:
        """The app's configuration for this provider."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET, **more}

    # The proxy's spoiling of token responses.

    def spoil_token_response(self, content: bytes) -> bytes:
        answer = json.loads(content)
        issued = answer.get("id_token")
        spoil, self.spoil = self.spoil, None
        if not issued:
            return content
        self.id_tokens.append(issued)
        if spoil is None:
            return content
        assert spoil in SPOILS, spoil
        if spoil == "replay":
            assert len(self.id_tokens) >= 2, "a replay needs an earlier sign-in's ID token"
            answer["id_token"] = self.id_tokens[-2]
        else:
            answer["id_token"] = self._respoiled(issued, spoil)
        return json.dumps(answer).encode()

    def _respoiled(self, issued: str, spoil: str) -> str:
        claims = jwt.decode(issued, self.key).claims
        key = self.key
        now = int(time.time())
        if spoil == "wrong_key":
            key = _signing_key()  # the same key id, another key: only the signature is wrong
        elif spoil == "wrong_audience":
            # azp still names us: Authlib's default checks would accept this token, only the audience check refuses
            claims.update(aud="another-client", azp=CLIENT_ID)
        elif spoil == "expired":
            claims.update(iat=now - 1200, exp=now - 600)  # ten minutes past, well beyond the allowed clock skew
        return jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, key)


def provider_round_trip(location: str, login: str) -> str:
    """What a browser does at the provider: open the authorization URL, sign in as `login` at the interaction,
    and follow the provider's redirects until one leads back to the app. Returns that URL."""
    browser = requests.Session()  # a fresh browser each time: no single sign-on session carried over
    url = location
    for _ in range(6):
        if url.startswith(REDIRECT_URI):
            return url
        if "/interaction/" in urlsplit(url).path and "as=" not in url:
            url = f"{url}?as={login}"
        answer = browser.get(url, allow_redirects=False, timeout=30)
        assert answer.status_code in (302, 303), (answer.status_code, answer.text[:500])
        url = urljoin(url, answer.headers["Location"])
    raise AssertionError(f"the provider never sent the browser back to the app (last: {url})")


def set_claims(provider: OidcProvider, login: str, claims: dict[str, Any]) -> None:
    """Change what the provider says about a test account from its next sign-in on (through the control route)."""
    provider.accounts[login] = claims
    node = f"http://127.0.0.1:{provider.node_port}/test-accounts/{login}"
    assert requests.put(node, json=claims, timeout=10).status_code == 204
