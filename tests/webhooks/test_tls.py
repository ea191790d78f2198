"""https deliveries connect to the checked address while the TLS server name and certificate check use the name."""

from __future__ import annotations

import datetime
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.services.webhooks.guard import Target
from app.services.webhooks.transport import post


def _certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for `name` (the tests' own authority), and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[tuple[int, Path, dict]]:
    """An https server on loopback with a certificate for `hooks.test`, recording the TLS name and Host asked for."""
    cert_file, key_file = _certificate(tmp_path, "hooks.test")
    seen: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            seen["host"] = self.headers["Host"]
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.sni_callback = lambda sock, name, ctx: seen.__setitem__("sni", name)
    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], cert_file, seen
    server.shutdown()
    server.server_close()


def test_https_uses_the_name_for_tls_and_the_checked_address_for_the_connection(tls_receiver) -> None:  # noqa: ANN001
    """The name `hooks.test` resolves nowhere; the request still reaches the checked address, sending the name as
    TLS server name and Host, and the certificate is checked against the name."""
    port, authority, seen = tls_receiver
    target = Target(host="hooks.test", ip="127.0.0.1", port=port)
    response = post(f"https://hooks.test:{port}/hook", target, b"{}", {}, timeout=5, verify=str(authority))
    assert response.status_code == 204
    assert seen == {"sni": "hooks.test", "host": f"hooks.test:{port}"}


def test_https_refuses_a_certificate_for_another_name(tls_receiver) -> None:  # noqa: ANN001
    """Pinning the address does not weaken the certificate check: a certificate for another name is refused."""
    port, authority, _seen = tls_receiver
    target = Target(host="other.test", ip="127.0.0.1", port=port)
    with pytest.raises(requests.exceptions.SSLError):
        post(f"https://other.test:{port}/hook", target, b"{}", {}, timeout=5, verify=str(authority))
