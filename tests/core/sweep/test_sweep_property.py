"""The engine finds exactly what a slow, obviously correct matcher finds.

The reference below is written from the rules as a user would state them,
with ``ipaddress`` and plain string comparison, and shares no code with the
engine. Lines are built from fragments chosen to collide: subdomains, names
that contain an indicator as a substring, longer and shorter addresses,
neighbours of CIDR blocks, upper case, trailing dots, ports.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openwarp.core.sweep import engine, fastpath
from tests.core.sweep.conftest import make_set, run_sweep

DOMAINS = ["evil.com", "a.evil.com", "bad.co.uk", "x1.org"]
ADDRESSES = ["1.2.3.4", "10.0.0.5", "2001:db8::1"]
BLOCKS = ["192.0.2.0/26", "172.16.0.0/12", "2001:db8:ff::/48"]
HASHES = ["d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709"]
INDICATORS = DOMAINS + ADDRESSES + BLOCKS + HASHES

FRAGMENTS = [
    *DOMAINS,
    *ADDRESSES,
    *HASHES,
    "notevil.com",
    "evil.com.au",
    "www.EVIL.COM",
    "evil.com.",
    "sub.a.evil.com",
    "bad.co.uk.evil",
    "x1.org:8080",
    "11.2.3.45",
    "1.2.3.45",
    "1.2.3.4.5",
    "..1.2.3.4",  # edge dots: still the address
    "1.2.3.4.",
    ".10.0.0.5",
    "-.1.2.3.4",
    "x.1.2.3.4",  # part of a name: not the address
    "9.1.2.3.4",
    "21.2.3.4",  # shares the tail .2.3.4 with 1.2.3.4
    "201.2.3.4",
    "1.2.3.4:80",
    "192.0.2.63",
    "192.0.2.64",
    "172.31.255.255",
    "172.32.0.1",
    "010.0.0.5",
    "2001:DB8:0::1",
    "2001:db8:ff:1::9",
    "2001:db8::10",
    "D41D8CD98F00B204E9800998ECF8427E",
    "xd41d8cd98f00b204e9800998ecf8427e",
    "user@evil.com",
    "-evil.com-",
    "_evil.com",
    "com",
    "co.uk",
    "evil",
    "1.2.3",
    "::",
]
SEPARATORS = [" ", "  ", "/", "=", '"', ",", ";", "(", ")", "[", "]", "|", "\t", "?", "#", ".", "-"]
TOKEN = re.compile(r"[a-z0-9_.:@%\-\u0080-\U0010ffff]+")


def _octets(text: str) -> int | None:
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() and len(p) <= 3 and int(p) < 256 for p in parts):
        return None
    return int(ipaddress.IPv4Address(".".join(str(int(p)) for p in parts)))


def reference(line: str) -> set[str]:
    """Indicators a careful analyst would say this line contains."""
    hits: set[str] = set()
    for token in TOKEN.findall(line.lower()):
        core = token.strip(".-_")
        if core.count(":") >= 2:
            try:
                address = ipaddress.IPv6Address(core.split("%")[0])
            except ValueError:
                address = None
            if address is not None:
                hits |= {
                    i for i in ADDRESSES + BLOCKS if ":" in i and address in ipaddress.ip_network(i)
                }
        for part in re.split(r"[:@]", core):
            part = part.strip(".-_")
            number = _octets(part)
            if number is not None:
                address4 = ipaddress.IPv4Address(number)
                hits |= {
                    i
                    for i in ADDRESSES + BLOCKS
                    if "." in i and address4 in ipaddress.ip_network(i)
                }
                continue
            hits |= {d for d in DOMAINS if part == d or part.endswith("." + d)}
            pieces = re.findall(r"[0-9a-z]+", part)
            hits |= {h for h in HASHES if h in pieces}
    return hits


lines = st.lists(
    st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), max_size=6).map(
        lambda pairs: "".join(f + s for f, s in pairs)
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=lines)
def test_engine_agrees_with_reference(tmp_path: Path, lines: list[str]) -> None:
    indicators = make_set(*INDICATORS)
    path = tmp_path / "generic.log"
    path.write_text("".join("log " + line + "\n" for line in lines))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "PIECE_SIZE", 40)  # many pieces: caches and piece edges are exercised
        patch.setattr(fastpath, "SEEN_LIMIT", 6)  # and the cache's generations turn over
        hits, _, _ = run_sweep([str(path)], indicators)
    expected = {(number, hit) for number, line in enumerate(lines, 1) for hit in reference(line)}
    assert {(hit.line, hit.indicator) for hit in hits} == expected


HOSTISH = [f for f in FRAGMENTS if f != "::"]
squid_lines = st.lists(
    st.tuples(
        st.sampled_from(HOSTISH),  # client
        st.sampled_from(["GET", "CONNECT"]),
        st.sampled_from(HOSTISH),  # URL host or CONNECT target
        st.sampled_from(FRAGMENTS),  # path: never a field
        st.sampled_from(HOSTISH),  # peer
    ),
    min_size=1,
    max_size=10,
)


def squid_line(client: str, method: str, host: str, path: str, peer: str) -> str:
    target = f"{host}:443" if method == "CONNECT" else f"http://{host}/{path}?q={path}"
    return (
        f"1700000000.123    12 {client} TCP_MISS/200 512 {method} {target} - HIER_DIRECT/{peer} -"
    )


def squid_reference(client: str, method: str, host: str, path: str, peer: str) -> set[str]:
    """The squid fields by position: client, the URL's host (or CONNECT target), peer."""
    target = f"{host}:443" if method == "CONNECT" else host
    return reference(client) | reference(target) | reference(peer)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=squid_lines)
def test_engine_agrees_with_reference_on_squid_fields(tmp_path: Path, rows: list[tuple]) -> None:
    path = tmp_path / "access.log"
    path.write_text("".join(squid_line(*row) + "\n" for row in rows))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "PIECE_SIZE", 300)
        hits, _, _ = run_sweep([str(path)], make_set(*INDICATORS))
    expected = {(n, hit) for n, row in enumerate(rows, 1) for hit in squid_reference(*row)}
    assert {hit.format for hit in hits} <= {"squid"}
    assert {(hit.line, hit.indicator) for hit in hits} == expected
