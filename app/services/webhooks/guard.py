"""Where a webhook may be delivered: public internet addresses only, decided after DNS resolution.

A staff member's address, or DNS answering for it, could point a delivery at the machine itself, the private
network or the cloud's metadata service (server-side request forgery). The name is resolved once here, every
address it resolves to is checked, and the request is then made to that checked address (see transport.py), so DNS
answering differently a moment later (rebinding) cannot redirect it.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Cloud metadata services outside the ranges Python already calls private or link-local.
METADATA = (ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200"))


class Refused(Exception):
    """The address may not be reached; the message says why, without any response from it."""


@dataclass(frozen=True)
class Target:
    """A checked address to connect to, and the name the request carries (Host header, TLS name)."""

    host: str
    ip: str
    port: int


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (IPv4-mapped, NAT64, 6to4, Teredo), which is where it really goes."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def blocked_reason(ip: IPAddress) -> str | None:
    """Why a delivery may not go to `ip` (None: a public address)."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        return blocked_reason(inner)
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (ip in METADATA, "metadata"),
        (not ip.is_global, "not public"),
    )
    return next((f"{label} address" for refused, label in checks if refused), None)


def check_ip(ip: IPAddress) -> None:
    """Raise Refused for an address no delivery may reach."""
    reason = blocked_reason(ip)
    if reason is not None:
        raise Refused(f"refused {reason} {ip}")


def literal_ip(host: str) -> IPAddress | None:
    """`host` as an address when it is written as one ("127.0.0.1", "[::1]", "::ffff:10.0.0.1"), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to now; Refused when it resolves to none."""
    literal = literal_ip(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused("refused: the host name does not resolve") from error
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise Refused("refused: the host name does not resolve")
    return addresses


def target(host: str, port: int, *, allow_private: bool) -> Target:
    """The address to connect to for `host`: resolved once, and refused if any of its addresses is not public
    (a name that also resolves to a private address is refused rather than tried on its public one)."""
    addresses = resolve(host, port)
    if not allow_private:
        for ip in addresses:
            check_ip(ip)
    return Target(host=host, ip=str(addresses[0]), port=port)
