"""One HTTP POST to an address already checked by the guard, connecting to exactly that checked IP address.

requests would resolve the name again when it connects; instead the connection pool is keyed to the checked IP,
while the Host header and, for https, the TLS server name and certificate check keep using the name.
"""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter

from app.services.webhooks.guard import Target


class PinnedAdapter(HTTPAdapter):
    """Connects to `target.ip` whatever DNS says now; the certificate must still be valid for `target.host`."""

    def __init__(self, target: Target) -> None:
        self.target = target
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: bool | str, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        host_params["host"] = self.target.ip
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = self.target.host
            pool_kwargs["assert_hostname"] = self.target.host
        return host_params, pool_kwargs


def host_header(target: Target, scheme: str) -> str:
    """The Host header for the name, with the port only when it is not the scheme's own."""
    name = f"[{target.host}]" if ":" in target.host else target.host
    default = 443 if scheme == "https" else 80
    return name if target.port == default else f"{name}:{target.port}"


def post(
    url: str, target: Target, body: bytes, headers: dict[str, str], timeout: float, verify: bool | str = True
) -> requests.Response:
    """POST `body` to `url` through `target`; never follows a redirect, never uses a proxy from the environment.
    `verify` is the system's certificate authorities unless a test passes its own."""
    scheme = url.split(":", 1)[0].lower()
    with requests.Session() as session:
        session.trust_env = False  # an HTTP(S)_PROXY variable would otherwise carry the request elsewhere
        session.mount("http://", PinnedAdapter(target))
        session.mount("https://", PinnedAdapter(target))
        response = session.post(
            url,
            data=body,
            headers={**headers, "Host": host_header(target, scheme)},
            timeout=(timeout, timeout),
            allow_redirects=False,
            verify=verify,
            stream=True,  # the receiver's answer is never read: only its status counts
        )
        response.close()
        return response
