"""The SSRF guard: no delivery to loopback, private, link-local, metadata or other non-public addresses, checked
after DNS resolution, unless KINDRED_WEBHOOK_ALLOW_PRIVATE."""

from __future__ import annotations

import ipaddress

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import WebhookDelivery
from app.services.webhooks import emit, guard
from app.services.webhooks.sending import send_due_webhooks
from tests.webhooks.conftest import make_webhook
from tests.webhooks.receiver import Receiver

BLOCKED = [
    "127.0.0.1",
    "127.8.9.10",
    "::1",
    "10.0.0.5",
    "172.16.3.4",
    "192.168.1.1",
    "100.64.0.1",  # carrier-grade NAT
    "169.254.169.254",  # cloud metadata
    "100.100.100.200",  # another cloud's metadata
    "fd00:ec2::254",
    "fe80::1",
    "fc00::1",
    "0.0.0.0",  # noqa: S104
    "::",
    "224.0.0.1",
    "ff02::1",
    "240.0.0.1",
    "255.255.255.255",
    "::ffff:127.0.0.1",  # IPv4-mapped IPv6
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001:81c::200e"]


@pytest.mark.parametrize("address", BLOCKED)
def test_non_public_addresses_are_refused(address: str) -> None:
    """Each loopback, private, link-local, multicast, reserved, unspecified or metadata address is refused."""
    ip = ipaddress.ip_address(address)
    assert guard.blocked_reason(ip) is not None
    with pytest.raises(guard.Refused):
        guard.check_ip(ip)
    with pytest.raises(guard.Refused):
        guard.target(address, 443, allow_private=False)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    """Public addresses pass, and the target connects to exactly that address."""
    assert guard.blocked_reason(ipaddress.ip_address(address)) is None
    assert guard.target(address, 443, allow_private=False).ip == address


def test_a_name_resolving_to_loopback_is_refused_after_resolution() -> None:
    """`localhost` resolves to 127.0.0.1: the resolved address, not the name, is what gets refused."""
    assert ipaddress.ip_address("127.0.0.1") in guard.resolve("localhost", 80)
    with pytest.raises(guard.Refused, match="loopback"):
        guard.target("localhost", 80, allow_private=False)


def test_an_unresolvable_name_is_refused() -> None:
    """A name that resolves to nothing is refused, never guessed."""
    with pytest.raises(guard.Refused):
        guard.target("localhost.localdomain.invalid", 80, allow_private=False)


def test_a_name_with_one_private_address_among_public_ones_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """If any address a name resolves to is private, the name is refused (rather than tried on the public one)."""
    answers = [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.0.0.1")]
    monkeypatch.setattr(guard, "resolve", lambda host, port: answers)
    with pytest.raises(guard.Refused, match="private"):
        guard.target("rebinding.example", 443, allow_private=False)


@pytest.fixture
def strict(app: Flask) -> Flask:
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    return app


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "[::1]", "localhost.localdomain", "10.0.0.1", "169.254.169.254", "[::ffff:127.0.0.1]"],
)
def test_delivery_to_loopback_is_refused_at_send_time(strict: Flask, receiver: Receiver, host: str) -> None:
    """With ALLOW_PRIVATE off, a delivery to the tests' own loopback server never reaches it: a failed attempt
    with the reason in the log (the address was saved before; the send-time check is the one that counts)."""
    make_webhook(f"http://{host}:{receiver.port}/hook")
    emit("event.created", {"event": {"id": 1}})
    db.session.commit()
    assert send_due_webhooks().retrying == 1
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.last_error.startswith("refused") and delivery.response_code is None
    assert receiver.received == []


@pytest.mark.parametrize("url", ["ftp://93.184.216.34/", "http://user:pw@93.184.216.34/"])
def test_delivery_to_odd_addresses_is_refused(strict: Flask, url: str) -> None:
    """Only plain http(s) addresses without credentials are ever tried."""
    make_webhook(url)
    emit("event.created", {"event": {"id": 1}})
    db.session.commit()
    assert send_due_webhooks().retrying == 1
    assert db.session.scalar(select(WebhookDelivery)).last_error.startswith("refused")


def test_production_sends_over_https_only(strict: Flask, receiver: Receiver) -> None:
    """Outside development and testing, an http:// address is refused at send time."""
    strict.config["WEBHOOK_ALLOW_PRIVATE"] = True
    strict.config["KINDRED_ENV"] = "production"
    make_webhook(receiver.url)
    emit("event.created", {"event": {"id": 1}})
    db.session.commit()
    send_due_webhooks()
    assert db.session.scalar(select(WebhookDelivery)).last_error == "refused address: https only"
    assert receiver.received == []


def test_followed_redirects_are_checked_again(app: Flask, receiver: Receiver) -> None:
    """With redirects followed (off by default), each new address is resolved and checked: a redirect from an
    allowed server to loopback is refused when ALLOW_PRIVATE is off at that point."""
    app.config["WEBHOOK_FOLLOW_REDIRECTS"] = True
    target = Receiver().start()
    try:
        receiver.status, receiver.location = 307, target.url
        make_webhook(receiver.url)
        emit("event.created", {"event": {"id": 1}})
        db.session.commit()
        assert send_due_webhooks().sent == 1  # allowed: both on loopback with ALLOW_PRIVATE
        assert len(target.received) == 1
        receiver.location = "http://localhost.localdomain.invalid/"
        emit("event.created", {"event": {"id": 2}})
        db.session.commit()
        assert send_due_webhooks().retrying == 1
        assert len(target.received) == 1
    finally:
        target.stop()


def test_connection_goes_to_the_checked_address(app: Flask, receiver: Receiver, monkeypatch) -> None:  # noqa: ANN001
    """DNS is asked once: the request connects to the address the guard checked, with the name as Host header,
    even if the name would resolve elsewhere by the time of connecting (rebinding)."""
    calls: list[str] = []
    real = guard.resolve

    def once(host: str, port: int) -> list:
        calls.append(host)
        return real("127.0.0.1", port)

    monkeypatch.setattr(guard, "resolve", once)
    make_webhook(f"http://hooks.receiver.invalid:{receiver.port}/hook")
    emit("event.created", {"event": {"id": 1}})
    db.session.commit()
    assert send_due_webhooks().sent == 1
    assert calls == ["hooks.receiver.invalid"]
    assert receiver.received[0].headers["Host"] == f"hooks.receiver.invalid:{receiver.port}"
