"""Indicators and the lookup tables a sweep consults millions of times.

An indicator set is built once and then only read. Every lookup structure is
keyed by the normal form from ``normalise`` so the sweep never normalises an
indicator at match time; log tokens are normalised once and cached instead.
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from openwarp.core.indicators.normalise import IndicatorType

type Ids = int | list[int]


class Indicator(NamedTuple):
    """One entry of an indicator set, with where it came from.

    ``value`` is kept exactly as the set wrote it, because that is what an
    analyst will search for in the report; ``key`` is its normal form. A
    named tuple, because a million of them must load in a second or two.
    """

    value: str
    type: IndicatorType
    key: str
    report: str | None = None
    tlp: str | None = None


def ids_of(entry: Ids | None) -> list[int]:
    if entry is None:
        return []
    return [entry] if isinstance(entry, int) else entry


class CidrIndex:
    """Which CIDR blocks contain an address, in O(log n).

    Blocks may nest or overlap, so they are cut into disjoint elementary
    intervals, each remembering every block that covers it; a lookup is one
    bisect instead of a walk over thousands of networks.
    """

    def __init__(self, blocks: list[tuple[int, int, int]]) -> None:
        events: list[tuple[int, int, int]] = []
        for first, last, ident in blocks:
            events.append((first, 0, ident))
            events.append((last + 1, 1, ident))
        events.sort()
        active: Counter[int] = Counter()
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.ids: list[list[int]] = []
        index = 0
        while index < len(events):
            point = events[index][0]
            while index < len(events) and events[index][0] == point:
                _, closing, ident = events[index]
                active[ident] += -1 if closing else 1
                if active[ident] == 0:
                    del active[ident]
                index += 1
            if self.starts and self.ends[-1] == -1:
                self.ends[-1] = point - 1
            if active:
                self.starts.append(point)
                self.ends.append(-1)
                self.ids.append(sorted(active))

    def lookup(self, address: int) -> list[int]:
        position = bisect_right(self.starts, address) - 1
        if position >= 0 and address <= self.ends[position]:
            return self.ids[position]
        return []


def url_key_host(key: str) -> str:
    """Host of a URL already in normal form (``[scheme://]host[:port]/...``)."""
    authority = key.split("://", 1)[-1].split("/", 1)[0]
    if authority.startswith("["):
        return authority[1 : authority.index("]")]
    return authority.rsplit(":", 1)[0] if ":" in authority else authority


def _put(table: dict[Any, Ids], key: object, ident: int) -> None:
    existing = table.get(key)
    if existing is None:
        table[key] = ident
    elif isinstance(existing, int):
        table[key] = [existing, ident]
    else:
        existing.append(ident)


@dataclass
class IndicatorSet:
    """All indicators of one sweep, indexed by type for constant-time lookup."""

    indicators: list[Indicator] = field(default_factory=list)
    domains: dict[bytes, Ids] = field(default_factory=dict)
    ipv4: dict[bytes, Ids] = field(default_factory=dict)  # canonical dotted quad
    ipv6: dict[int, Ids] = field(default_factory=dict)
    hashes: dict[bytes, Ids] = field(default_factory=dict)
    emails: dict[bytes, Ids] = field(default_factory=dict)
    ip_ports: dict[bytes, Ids] = field(default_factory=dict)
    urls: dict[str, Ids] = field(default_factory=dict)
    url_hosts: set[bytes] = field(default_factory=set)
    cidr4: CidrIndex = field(default_factory=lambda: CidrIndex([]))
    cidr6: CidrIndex = field(default_factory=lambda: CidrIndex([]))
    _blocks: dict[int, list[tuple[int, int, int]]] = field(default_factory=lambda: {4: [], 6: []})
    # Structures other modules derive from the frozen set (the sweep's gates),
    # built once and shared with forked workers instead of once per worker.
    derived: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._tables: dict[IndicatorType, dict[Any, Ids]] = {
            IndicatorType.DOMAIN: self.domains,
            IndicatorType.IPV4: self.ipv4,
            IndicatorType.IPV6: self.ipv6,
            IndicatorType.MD5: self.hashes,
            IndicatorType.SHA1: self.hashes,
            IndicatorType.SHA256: self.hashes,
            IndicatorType.EMAIL: self.emails,
            IndicatorType.IP_PORT: self.ip_ports,
        }

    def __len__(self) -> int:
        return len(self.indicators)

    def table(self, kind: IndicatorType) -> dict[Any, Ids]:
        """The lookup table of a kind keyed by bytes (domains, IPv4, hashes, ...)."""
        return self._tables[kind]

    def add_keyed(self, indicator: Indicator, lookup_key: bytes) -> None:
        """``add`` for a loader that already knows the table key: the hot path
        when a million canonical values are loaded."""
        table = self._tables[indicator.type]
        existing = table.get(lookup_key)
        if existing is None:
            table[lookup_key] = len(self.indicators)
            self.indicators.append(indicator)
        elif indicator not in (self.indicators[i] for i in ids_of(existing)):
            _put(table, lookup_key, len(self.indicators))
            self.indicators.append(indicator)

    def add(self, indicator: Indicator) -> None:
        """Index one indicator; an identical entry (same value and report) is kept once."""
        table, key = self._slot(indicator)
        if table is not None:
            existing = table.get(key)
            if existing is not None:
                for other in ids_of(existing):
                    if self.indicators[other] == indicator:
                        return
            _put(table, key, len(self.indicators))
            self.indicators.append(indicator)
        else:
            ident = len(self.indicators)
            self.indicators.append(indicator)
            network = ipaddress.ip_network(indicator.key)
            block = (int(network.network_address), int(network.broadcast_address), ident)
            self._blocks[network.version].append(block)

    def _slot(self, indicator: Indicator) -> tuple[dict[Any, Ids] | None, object]:
        kind, key = indicator.type, indicator.key
        if kind is IndicatorType.DOMAIN:
            return self.domains, key.encode()
        if kind is IndicatorType.IPV4:
            return self.ipv4, key.encode()
        if kind is IndicatorType.IPV6:
            return self.ipv6, int(ipaddress.IPv6Address(key))
        if kind in (IndicatorType.MD5, IndicatorType.SHA1, IndicatorType.SHA256):
            return self.hashes, key.encode()
        if kind is IndicatorType.EMAIL:
            return self.emails, key.encode()
        if kind is IndicatorType.IP_PORT:
            return self.ip_ports, key.encode()
        if kind is IndicatorType.URL:
            self.url_hosts.add(url_key_host(key).encode())
            return self.urls, key
        return None, None

    def freeze(self) -> IndicatorSet:
        """Build the CIDR indexes once every indicator has been added."""
        self.cidr4 = CidrIndex(self._blocks[4])
        self.cidr6 = CidrIndex(self._blocks[6])
        return self

    def counts(self) -> dict[str, int]:
        """How many indicators of each type the set holds, for the sweep summary."""
        return dict(Counter(str(indicator.type) for indicator in self.indicators))
