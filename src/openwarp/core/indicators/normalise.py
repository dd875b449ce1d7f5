"""Type and normalise indicator values so equal things compare equal.

An analyst may write ``EVIL.com.``, ``evil[.]com`` or ``пример.рф``; a log may
hold ``001.2.3.4`` or ``2001:DB8:0:0::1``. Every comparison in a sweep happens
between the normal forms produced here, so one rule decides what "the same
indicator" means.
"""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from urllib.parse import urlsplit

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.refang import refang
from openwarp.core.networks import normalise_domain as _strict_domain


class IndicatorType(StrEnum):
    DOMAIN = "domain"
    IPV4 = "ipv4"
    IPV6 = "ipv6"
    CIDR = "cidr"
    URL = "url"
    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"
    EMAIL = "email"
    IP_PORT = "ip-port"


HASH_TYPES = {32: IndicatorType.MD5, 40: IndicatorType.SHA1, 64: IndicatorType.SHA256}
DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21, "ws": 80, "wss": 443}

_ASCII_DOMAIN_RE = re.compile(
    r"(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?"
)
_IPV4_RE = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
_HEX_RE = re.compile(r"[0-9a-f]+")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT_RE = re.compile(r"%([0-9A-Fa-f]{2})")


def ipv4_to_int(text: str) -> int | None:
    """Dotted-quad to integer, reading each part as decimal even with zeros.

    Logs that zero-pad (``010.001.002.003``) mean decimal; reading such parts
    as octal, as C's inet_aton does, would match a different address.
    """
    if not _IPV4_RE.fullmatch(text):
        return None
    value = 0
    for part in text.split("."):
        number = int(part)
        if number > 255:
            return None
        value = value * 256 + number
    return value


def int_to_ipv4(value: int) -> str:
    return ".".join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))


def normalise_host(text: str) -> str:
    """Domain name to its lower-case ASCII (punycode) form without trailing dot."""
    value = text.strip().rstrip(".").lower()
    if value.isascii() and _ASCII_DOMAIN_RE.fullmatch(value) and len(value) <= 253:
        return value
    try:
        return _strict_domain(value)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="indicator") from None


def normalise_ip(text: str) -> tuple[int, int]:
    """Return (version, integer) for an address in any textual form.

    IPv4-mapped IPv6 addresses (``::ffff:1.2.3.4``) are reported as IPv4, so
    an IPv4 indicator is found wherever a dual-stack log writes it.
    """
    value = text.strip().strip("[]")
    as_int = ipv4_to_int(value)
    if as_int is not None:
        return 4, as_int
    try:
        address = ipaddress.IPv6Address(value.split("%", 1)[0])
    except ValueError:
        raise InvalidInput(f"{text!r} is not an IP address", field="indicator") from None
    if address.ipv4_mapped is not None:
        return 4, int(address.ipv4_mapped)
    return 6, int(address)


def normalise_cidr(text: str) -> tuple[int, int, int]:
    """Return (version, first, last) of a CIDR block; host bits are masked.

    Indicator feeds often write ``1.2.3.4/24``; unlike a member's registered
    range, an indicator loses nothing by being read as the enclosing block.
    """
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a CIDR block", field="indicator") from None
    return (
        network.version,
        int(network.network_address),
        int(network.broadcast_address),
    )


def _normalise_percent(text: str) -> str:
    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT_RE.sub(fix, text)


def _remove_dot_segments(path: str) -> str:
    output: list[str] = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if output:
                output.pop()
        elif segment != ".":
            output.append(segment)
    if path.endswith(("/.", "/..")):
        output.append("")
    return "/" + "/".join(output)


def url_host_key(host: str) -> str:
    """Normal form of a URL's host: domain, dotted quad or bracketed IPv6."""
    host = host.strip().rstrip(".")
    if host.startswith("["):
        version, value = normalise_ip(host)
        return int_to_ipv4(value) if version == 4 else f"[{ipaddress.IPv6Address(value)}]"
    as_int = ipv4_to_int(host)
    return int_to_ipv4(as_int) if as_int is not None else normalise_host(host)


def normalise_url(text: str, *, scheme_required: bool = True) -> tuple[str | None, str, str]:
    """Return (scheme, host key, rest) of a URL in normal form.

    ``rest`` is ``[:port]/path[?query]``: scheme and host lower-cased, default
    port dropped, percent-escapes decoded where unreserved and upper-cased
    otherwise, dot segments removed, fragment and credentials dropped.
    """
    value = text.strip()
    if "://" not in value:
        if scheme_required:
            raise InvalidInput(f"{text!r} is not a URL", field="indicator")
        value = "none://" + value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput(f"{text!r} is not a URL ({exc})", field="indicator") from None
    scheme = parts.scheme.lower()
    raw_host = parts.hostname or ""
    if not raw_host:
        raise InvalidInput(f"{text!r} has no host", field="indicator")
    host = url_host_key(f"[{raw_host}]" if ":" in raw_host else raw_host)
    port_text = "" if port is None or port == DEFAULT_PORTS.get(scheme) else f":{port}"
    path = _remove_dot_segments(_normalise_percent(parts.path or "/"))
    query = "?" + _normalise_percent(parts.query) if parts.query else ""
    return (None if scheme == "none" else scheme), host, port_text + path + query


def normalise_email(text: str) -> str:
    local, _, domain = text.strip().rpartition("@")
    if not local or not domain or " " in local:
        raise InvalidInput(f"{text!r} is not an e-mail address", field="indicator")
    return f"{local.lower()}@{normalise_host(domain)}"


def classify(text: str) -> tuple[IndicatorType, str]:
    """Type an indicator and return its normal form as text.

    Raises InvalidInput for values a sweep cannot use (bare paths, single
    labels, garbage), naming the value so a loader can report it.
    """
    value = refang(text)
    if not value:
        raise InvalidInput("empty indicator", field="indicator")
    lower = value.lower()
    if len(lower) in HASH_TYPES and _HEX_RE.fullmatch(lower):
        return HASH_TYPES[len(lower)], lower
    if "://" in value:
        scheme, host, rest = normalise_url(value)
        return IndicatorType.URL, f"{scheme}://{host}{rest}"
    if "@" in value and "/" not in value:
        return IndicatorType.EMAIL, normalise_email(value)
    as_int = ipv4_to_int(value)
    if as_int is not None:
        return IndicatorType.IPV4, int_to_ipv4(as_int)
    if value.startswith("/"):
        raise InvalidInput(f"{value!r} is a bare path; a sweep needs a host", field="indicator")
    if "/" in value:
        return _classify_network_or_path(value)
    if value.startswith("[") or (value.count(":") >= 2 and "]" not in value):
        if "]:" in value:
            return _classify_ip_port(value)
        version, number = normalise_ip(value)
        if version == 4:
            return IndicatorType.IPV4, int_to_ipv4(number)
        return IndicatorType.IPV6, str(ipaddress.IPv6Address(number))
    if ":" in value:
        return _classify_ip_port(value)
    return IndicatorType.DOMAIN, normalise_host(value)


def _classify_network_or_path(value: str) -> tuple[IndicatorType, str]:
    """``a.b.c.d/nn`` and ``v6::/nn`` are CIDR blocks; ``host/path`` is a URL
    without scheme, which matches that host and path under any scheme."""
    head, _, tail = value.partition("/")
    if tail.isdigit() and (ipv4_to_int(head) is not None or ":" in head):
        version, first, last = normalise_cidr(value)
        network = ipaddress.ip_network(value, strict=False)
        if first == last:
            address = network.network_address
            return (IndicatorType.IPV4 if version == 4 else IndicatorType.IPV6), str(address)
        return IndicatorType.CIDR, network.with_prefixlen
    _, host, rest = normalise_url(value, scheme_required=False)
    return IndicatorType.URL, host + rest


def _classify_ip_port(value: str) -> tuple[IndicatorType, str]:
    host, _, port = value.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidInput(f"{value!r} is not host:port", field="indicator")
    version, number = normalise_ip(host)
    if version == 4:
        return IndicatorType.IP_PORT, f"{int_to_ipv4(number)}:{int(port)}"
    return IndicatorType.IP_PORT, f"[{ipaddress.IPv6Address(number)}]:{int(port)}"
