"""Which registered address space or domain an indicator falls in.

Pure helpers: the hub looks the candidates up in its indexed tables.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from openwarp.core.networks import address_key

ADDRESS_KINDS = frozenset({"ipv4", "ipv6", "cidr", "ip-port"})
HOST_KINDS = frozenset({"domain", "url", "email"})


def address_bounds(kind: str, value: str) -> tuple[int, str, str] | None:
    """(IP version, first key, last key) of an address indicator, else None."""
    if kind not in ADDRESS_KINDS:
        return None
    text = value
    if kind == "ip-port":
        text = value.rsplit(":", 1)[0].strip("[]")
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    return (
        network.version,
        address_key(network.network_address),
        address_key(network.broadcast_address),
    )


def host_of(kind: str, value: str) -> str | None:
    if kind == "domain":
        return value
    if kind == "email":
        return value.rpartition("@")[2] or None
    if kind == "url":
        return urlsplit(value if "://" in value else f"//{value}").hostname
    return None


def domain_suffixes(host: str) -> list[str]:
    """`a.b.derby.gov.uk` -> itself and every parent with at least two labels."""
    labels = host.lower().rstrip(".").split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]
