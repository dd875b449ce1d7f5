"""Matching a whole feed against every member's ranges and domains at once."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from openwarp.core.feeds.exposure import MemberSpace, feed_touches

SPACE = MemberSpace(
    ranges=[("81.2.69.0/24", 1), ("81.2.70.0/23", 2), ("2a00:1450:4009::/48", 3)],
    domains=[("derby.gov.uk", 1), ("nottinghamcity.gov.uk", 2)],
)


def _touched(kind: str, value: str) -> set[tuple[int, str]]:
    return {(t.organisation_id, t.reason) for t in SPACE.touches(kind, value)}


def test_an_address_goes_to_the_one_member_holding_it() -> None:
    assert _touched("ipv4", "81.2.69.77") == {(1, "81.2.69.77 is in your range 81.2.69.0/24")}
    assert {o for o, _ in _touched("ipv4", "81.2.71.255")} == {2}
    assert _touched("ipv4", "81.2.72.0") == set()
    assert _touched("ipv4", "81.2.68.255") == set()


def test_a_block_spanning_two_members_touches_both() -> None:
    assert {o for o, _ in _touched("cidr", "81.2.68.0/22")} == {1, 2}


def test_ip_port_and_ipv6_in_any_form() -> None:
    assert {o for o, _ in _touched("ip-port", "81.2.70.9:4444")} == {2}
    assert {o for o, _ in _touched("ipv6", "2a00:1450:4009:0:0:0:0:1")} == {3}


def test_hosts_match_on_label_boundaries_only() -> None:
    assert {o for o, _ in _touched("domain", "mail.derby.gov.uk")} == {1}
    assert {o for o, _ in _touched("url", "https://www.nottinghamcity.gov.uk/pay")} == {2}
    assert {o for o, _ in _touched("email", "clerk@derby.gov.uk")} == {1}
    assert _touched("domain", "notderby.gov.uk") == set()
    assert _touched("domain", "gov.uk") == set()


def test_values_of_other_kinds_touch_nobody() -> None:
    assert feed_touches(SPACE, [("sha256", "a" * 64), ("ipv4", "not-an-address")]) == []


@st.composite
def _ranges(draw: st.DrawFn) -> list[tuple[str, int]]:
    """Non-overlapping IPv4 ranges, as the hub guarantees."""
    starts = sorted(draw(st.sets(st.integers(0, 2**16 - 1), max_size=12)))
    ranges = []
    for number, start in enumerate(starts):
        prefix = draw(st.integers(24, 32))
        network = ipaddress.ip_network((start << 16, prefix), strict=False)
        if all(not network.overlaps(ipaddress.ip_network(c)) for c, _ in ranges):
            ranges.append((str(network), number))
    return ranges


@settings(max_examples=150, deadline=None)
@given(
    ranges=_ranges(),
    # Probes land near the ranges (same top 16 bits) and span 1 to 2^24 addresses.
    probes=st.lists(
        st.tuples(st.integers(0, 2**16 - 1), st.integers(0, 2**16 - 1), st.integers(8, 32)),
        min_size=1,
        max_size=30,
    ),
)
def test_the_index_finds_exactly_what_checking_every_range_finds(
    ranges: list[tuple[str, int]], probes: list[tuple[int, int, int]]
) -> None:
    space = MemberSpace(ranges=ranges, domains=[])
    for high, low, prefix in probes:
        block = ipaddress.ip_network(((high << 16) | low, prefix), strict=False)
        expected = {o for c, o in ranges if block.overlaps(ipaddress.ip_network(c))}
        found = {t.organisation_id for t in space.touches("cidr", str(block))}
        assert found == expected
