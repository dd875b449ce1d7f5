"""Shortcuts for indicator values already in normal form.

Most of a big feed is plain lower-case domains, dotted quads and hashes, whose
normal form is the value itself; ``classify`` would only confirm that, at tens
of microseconds a value. ``canonical`` recognises such values with one regular
expression, and ``canonical_kinds`` does the same for a whole batch in the
sweep's C extension (``csrc/kinds.c``) when it is built. The property tests in
``tests/core/indicators`` hold all three to ``classify``.
"""

from __future__ import annotations

import re
from typing import Any

from openwarp.core.indicators.normalise import HASH_TYPES, IndicatorType

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
CANONICAL_RE = re.compile(
    r"(?P<domain>(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)"
    rf"|(?P<ip>{_OCTET}(?:\.{_OCTET}){{3}})(?::(?P<port>[1-9]\d{{0,4}}))?"
    r"|(?P<hash>[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})"
    # http(s) URL with a lower-case name, a path, no port, escapes or dot segments.
    r"|(?P<url>https?://(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*(?!.*/\.\.?(?:/|\?|$))"
    r"(?:/[A-Za-z0-9._~!$&'()*+,;=:@-]*)+(?:\?[A-Za-z0-9._~!$&'()*+,;=:@/?-]+)?)",
    re.ASCII,  # ``\d`` is 0-9 only: "١.٢.٣.٤" is no canonical address (classify makes it one)
)
# ``canonical_kinds`` codes, as in ``csrc/kinds.c``; 0 is "not known".
KIND_TYPES: dict[int, IndicatorType] = {
    1: IndicatorType.DOMAIN,
    2: IndicatorType.IPV4,
    3: IndicatorType.IP_PORT,
    4: IndicatorType.MD5,
    5: IndicatorType.SHA1,
    6: IndicatorType.SHA256,
}


def canonical(value: str) -> tuple[IndicatorType, bytes | None] | None:
    """Type and table key of a value already in normal form, else None (URLs
    have no table key: their table is keyed by text)."""
    match = CANONICAL_RE.fullmatch(value)
    if match is None:
        return None
    group = match.lastgroup
    if group == "domain":
        return (IndicatorType.DOMAIN, value.encode()) if len(value) <= 253 else None
    if group == "hash":
        return HASH_TYPES[len(value)], value.encode()
    if group == "port":
        return (IndicatorType.IP_PORT, value.encode()) if int(match["port"]) < 65536 else None
    if group == "url":
        return IndicatorType.URL, None
    return IndicatorType.IPV4, value.encode()


_native: Any = None


def canonical_kinds(values: list[str]) -> bytes:
    """One ``KIND_TYPES`` code per value: which plain domains, IPv4 addresses,
    ``ip:port`` and hashes are in normal form (the ``canonical`` rules). All
    zeros, which sends every value down ``canonical``, without the extension."""
    global _native
    if _native is None:
        from openwarp.core.sweep import native  # here: the sweep package imports us

        _native = native
    kinds = _native.canonical_kinds(values)
    return bytes(len(values)) if kinds is None else kinds
