"""Which members a whole feed touches: its addresses in their ranges, its hosts
under their domains.

Checking a report's handful of values one query at a time is fine; a feed of
two million values against four hundred members is not. Members' ranges never
overlap (the hub refuses overlaps), so sorted by first address they form a
list where one binary search finds the only range that can hold an address,
and a short walk back finds every range a CIDR block overlaps. Domains are a
dictionary looked up by each host's suffixes.
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from openwarp.core.sharing.early_warning import (
    ADDRESS_KINDS,
    address_bounds,
    domain_suffixes,
    host_of,
)


@dataclass(frozen=True, slots=True)
class Registration:
    organisation_id: int
    label: str  # the CIDR or domain as the member registered it


@dataclass(frozen=True, slots=True)
class Touch:
    organisation_id: int
    kind: str
    value: str
    reason: str


class MemberSpace:
    """Every member's registered ranges and domains, indexed for bulk matching."""

    def __init__(
        self,
        ranges: Iterable[tuple[str, int]],
        domains: Iterable[tuple[str, int]],
    ) -> None:
        self._starts: dict[int, list[int]] = {4: [], 6: []}
        self._spans: dict[int, list[tuple[int, int, Registration]]] = {4: [], 6: []}
        spans: dict[int, list[tuple[int, int, Registration]]] = {4: [], 6: []}
        for cidr, organisation_id in ranges:
            network = ipaddress.ip_network(cidr, strict=False)
            spans[network.version].append(
                (
                    int(network.network_address),
                    int(network.broadcast_address),
                    Registration(organisation_id, str(network)),
                )
            )
        for version, found in spans.items():
            found.sort(key=lambda span: span[0])
            self._spans[version] = found
            self._starts[version] = [span[0] for span in found]
        self._domains = {
            name.lower().rstrip("."): Registration(organisation_id, name)
            for name, organisation_id in domains
        }

    def _ranges_overlapping(self, version: int, first: int, last: int) -> Iterator[Registration]:
        spans = self._spans[version]
        index = bisect_right(self._starts[version], last) - 1
        while index >= 0 and spans[index][1] >= first:
            yield spans[index][2]
            index -= 1

    def touches(self, kind: str, value: str) -> Iterator[Touch]:
        """The members one indicator touches, with the reason to give them."""
        if kind in ADDRESS_KINDS:
            bounds = address_bounds(kind, value)
            if bounds is None:
                return
            version, first_key, last_key = bounds
            first, last = int(first_key, 16), int(last_key, 16)
            for registration in self._ranges_overlapping(version, first, last):
                yield Touch(
                    registration.organisation_id,
                    kind,
                    value,
                    f"{value} is in your range {registration.label}",
                )
            return
        host = host_of(kind, value)
        if not host:
            return
        for suffix in domain_suffixes(host):
            holder = self._domains.get(suffix)
            if holder is not None:
                yield Touch(
                    holder.organisation_id,
                    kind,
                    value,
                    f"{value} is under your domain {holder.label}",
                )


def feed_touches(space: MemberSpace, indicators: Iterable[tuple[str, str]]) -> list[Touch]:
    """Every (member, indicator) pair where a feed value falls in a member's space."""
    return [touch for kind, value in indicators for touch in space.touches(kind, value)]
