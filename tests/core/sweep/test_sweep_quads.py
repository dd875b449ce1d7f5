"""Addresses of the set are found by tail lookup, never missed.

``QuadFinder`` replaces Hyperscan for dotted quads; it may name an address
that is only part of a longer text (the exact check decides), but it must
name every address the exact rules would accept on the line.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from openwarp.core.sweep.quads import QuadFinder, split_quads
from openwarp.core.sweep.tokens import TOKEN_RE, ipv4_int
from tests.core.sweep.conftest import make_set

QUADS = ["1.2.3.4", "21.2.3.4", "10.0.0.5", "192.0.2.77"]


def accepted(text: bytes, quads: set[bytes]) -> set[bytes]:
    """Quads the exact rules accept: a host part that is the address, edges stripped."""
    found: set[bytes] = set()
    for token in TOKEN_RE.findall(text):
        for part in token.replace(b"@", b":").split(b":"):
            part = part.strip(b".-_")
            if part in quads:
                found.add(part)
    return found


def test_the_set_splits_into_addresses_and_the_rest() -> None:
    texts = [b"evil.com", b"1.2.3.4", b"192.0.2.", b"d41d8cd98f00b204e9800998ecf8427e"]
    assert split_quads(texts) == (
        [b"evil.com", b"192.0.2.", b"d41d8cd98f00b204e9800998ecf8427e"],
        [b"1.2.3.4"],
    )
    indicators = make_set("1.2.3.4", "evil.com")
    assert ipv4_int(next(iter(indicators.ipv4))) is not None


def test_addresses_at_line_edges_after_dots_and_beside_longer_ones() -> None:
    finder = QuadFinder([quad.encode() for quad in QUADS])
    text = b"1.2.3.4 x ..10.0.0.5.\n21.2.3.4:80 11.2.3.45 q=9.192.0.2.77\n"
    assert finder.find(text) >= {b"1.2.3.4", b"10.0.0.5", b"21.2.3.4"}
    assert not QuadFinder([b"1.2.3.4"]).find(b"no address here 1.2.3 or 31.2.3.40\n")
    assert not QuadFinder([])


pieces = st.lists(
    st.sampled_from([*QUADS, "1", "2", "11", "245", ".", "..", "-", "_", ":", "@", " ", "x", "\n"]),
    max_size=30,
).map(lambda parts: "".join(parts).encode())


@settings(max_examples=400, deadline=None)
@given(text=pieces)
def test_every_accepted_address_is_found(text: bytes) -> None:
    quads = {quad.encode() for quad in QUADS}
    assert accepted(text, quads) <= QuadFinder(sorted(quads)).find(text)
