"""Members' registered internet presence: public IP ranges and domains.

Normalising here once means overlap and duplicate checks compare like with
like, whichever way a coordinator typed the value.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from openwarp.core.errors import InvalidInput

MAX_DOMAIN_LENGTH = 253

# Reserved for documentation (RFC 5737, RFC 3849). Accepted so demos and
# training hubs never have to claim anyone's real addresses.
DOCUMENTATION_NETWORKS = tuple(
    ipaddress.ip_network(block)
    for block in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)


@dataclass(frozen=True, slots=True)
class IpRange:
    """A CIDR block with its first and last address as sortable keys."""

    cidr: str
    version: int
    first_key: str
    last_key: str

    def overlaps(self, other: IpRange) -> bool:
        return (
            self.version == other.version
            and self.first_key <= other.last_key
            and other.first_key <= self.last_key
        )


def address_key(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Fixed-width hex of an address, so string order equals numeric order.

    Stored beside each range, it lets the database find overlaps and "is this
    address inside a member's range" with plain indexed comparisons.
    """
    width = 8 if address.version == 4 else 32
    return format(int(address), f"0{width}x")


def parse_ip_range(text: str) -> IpRange:
    """Parse a CIDR block (or a single address) strictly.

    Host bits set (``10.0.0.1/8``) are refused rather than silently masked: a
    typo in a member's range would otherwise claim someone else's addresses.
    """
    value = text.strip()
    if not value:
        raise InvalidInput("an IP range is required", field="cidr")
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise InvalidInput(
            f"{value!r} is not a valid IPv4/IPv6 CIDR range ({exc})", field="cidr"
        ) from None
    documentation = any(
        network.version == block.version and network.subnet_of(block)  # type: ignore[arg-type]
        for block in DOCUMENTATION_NETWORKS
    )
    if not network.is_global and not documentation:
        raise InvalidInput(f"{value!r} is not a public range", field="cidr")
    return IpRange(
        cidr=network.with_prefixlen,
        version=network.version,
        first_key=address_key(network.network_address),
        last_key=address_key(network.broadcast_address),
    )


def normalise_domain(text: str) -> str:
    """Lower-case, strip a trailing dot and convert IDN labels to punycode.

    Raises InvalidInput naming the fault: empty labels, bad characters, too long.
    """
    value = text.strip().rstrip(".").lower()
    if not value:
        raise InvalidInput("a domain is required", field="domain")
    if "://" in value or "/" in value or "@" in value or " " in value:
        raise InvalidInput(f"{text.strip()!r} is not a bare domain name", field="domain")
    try:
        ascii_value = value.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidInput(
            f"{text.strip()!r} is not a valid domain ({exc})", field="domain"
        ) from None
    labels = ascii_value.split(".")
    if len(labels) < 2 or len(ascii_value) > MAX_DOMAIN_LENGTH:
        raise InvalidInput(f"{text.strip()!r} is not a registrable domain name", field="domain")
    for label in labels:
        if not label or len(label) > 63 or label.startswith("-") or label.endswith("-"):
            raise InvalidInput(f"{text.strip()!r} has an invalid label {label!r}", field="domain")
        if not all(ch.isalnum() or ch == "-" for ch in label) or not label.isascii():
            raise InvalidInput(f"{text.strip()!r} has an invalid label {label!r}", field="domain")
    if labels[-1].isdigit():
        raise InvalidInput(f"{text.strip()!r} looks like an address, not a domain", field="domain")
    return ascii_value


def domain_covers(registered: str, candidate: str) -> bool:
    """True when candidate is the registered domain or one of its subdomains."""
    return candidate == registered or candidate.endswith("." + registered)
