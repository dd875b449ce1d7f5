"""Stage 1 in C: the optional ``_scan`` extension (ADR 0104).

``_scan.Table`` hashes the texts one of which stands in every line that
matches (``fastpath.gates``: domains, dotted quads, URL hosts, hashes, e-mail
domains, ``ip:port`` addresses) into an open-addressing table, keeps the
set's IPv4 CIDR blocks as sorted ranges, and walks each lowered piece once,
cutting tokens as ``tokens.TokenMatcher`` does. It returns the starts of the
lines that may hold a match, and of the lines it cannot judge (non-ASCII, and
IPv6-looking text when the set holds IPv6), which go to the Python fast path.

The extension is built by ``setup.py`` as optional: an install without a
compiler still works, and ``auto`` then takes the other engines and says why.
Set ``OPENWARP_REQUIRE_NATIVE=1`` (CI does) to make its absence an error in
the test suite rather than a quiet fallback.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from openwarp.core.indicators.model import IndicatorSet
from openwarp.core.sweep.fastpath import gates

# The rules version this Python code expects of the C code (``_scan.ABI``).
ABI = 5

_scan: Any
try:
    _scan = importlib.import_module("openwarp.core.sweep._scan")
except ImportError as exc:  # no compiler at install time, or a foreign build
    _scan = None
    _WHY = f"the native extension is not built ({exc}; reinstall with a C compiler)"
else:
    _WHY = "" if getattr(_scan, "ABI", None) == ABI else "the native extension is stale; reinstall"


def unavailable() -> str | None:
    """Why the native engine cannot run here, or None if it can."""
    return _WHY or None


def count_lines(data: bytes) -> int:
    """``data.count(b"\\n")``, with memchr when the extension is there (several
    times faster on long lines)."""
    return int(_scan.count_lines(data)) if not _WHY else data.count(b"\n")


def cidr_ranges(indicators: IndicatorSet) -> list[tuple[int, int]]:
    """The set's IPv4 blocks as sorted, disjoint, merged (first, last) ranges."""
    merged: list[tuple[int, int]] = []
    index = indicators.cidr4
    for start, end in sorted(zip(index.starts, index.ends, strict=True)):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def build_table(indicators: IndicatorSet) -> tuple[Any, float]:
    """The C table for a set (built before the sweep forks, so workers share it),
    and the seconds it took; built once per set and process."""
    if _scan is None or _WHY:
        raise RuntimeError(_WHY)
    cached = indicators.derived.get("sweep-native-table")
    if isinstance(cached, tuple):
        return cached[0], cached[1]
    started = time.perf_counter()
    gate, _ = gates(indicators)
    has_v6 = bool(indicators.ipv6) or bool(indicators.cidr6.starts)
    table = _scan.Table(list(gate), cidr_ranges(indicators), has_v6)
    seconds = time.perf_counter() - started
    indicators.derived["sweep-native-table"] = (table, seconds)
    return table, seconds


def canonical_kinds(values: list[str]) -> bytes | None:
    """``_scan.canonical_kinds``: which values are plain canonical domains,
    addresses and hashes (``indicators.canonical``); None without the extension."""
    return None if _WHY else bytes(_scan.canonical_kinds(values))
