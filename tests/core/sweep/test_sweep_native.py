"""The C stage 1 (``_scan``, ADR 0104): it never misses a line the exact rules accept.

Every sweeping test also runs on the native engine (``conftest.SWEEPING``), and the
property test there holds it to the slow reference matcher. These tests hold the C
scanner itself, line by line, to ``tokens.TokenMatcher`` on colliding fragments and
hostile bytes, compare whole sweeps with the Python engine where C code is most
likely to slip (long lines, piece and block boundaries, NUL bytes, case, trailing
dots), and fail CI if the build was lost.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openwarp.core.indicators import IndicatorSet
from openwarp.core.sweep import Summary, SweepWarning, native, sweep_paths
from openwarp.core.sweep.engine import PIECE_SIZE
from openwarp.core.sweep.prefilter import DEFANG_MARKS
from openwarp.core.sweep.tokens import TOKEN_RE, TokenMatcher
from tests.core.sweep.conftest import make_set

needs_native = pytest.mark.skipif(
    native.unavailable() is not None, reason=str(native.unavailable())
)

HASHES = [
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
]
EVERY_KIND = [
    "evil.com",
    "bad.co.uk",
    "1.2.3.4",
    "10.20.0.0/16",
    "192.0.2.0/26",
    "9.9.9.9:8080",
    "phish@mail.bad.net",
    "http://url.host.io/x.php",
    *HASHES,
]
V6 = ["2001:db8::1", "2001:db8:ff::/48"]
FRAGMENTS = [
    "evil.com", "EVIL.COM", "www.Evil.Com.", "-evil.com-", "_evil.com", "notevil.com",
    "evil.com.au", "evil.co", "bad.co.uk", "co.uk", "x.bad.co.uk..",
    "1.2.3.4", "001.002.003.004", "01.2.3.4", "11.2.3.4", "1.2.3.45", "1.2.3.4.5",
    "1.2.3.4:80", "10.20.255.1", "10.21.0.1", "192.0.2.63", "192.0.2.64", "010.020.1.1",
    "9.9.9.9", "9.9.9.9:8080", "9.9.9.9:80", "phish@mail.bad.net", "x@Mail.Bad.Net.",
    "mail.bad.net", "url.host.io", "http://URL.host.io/x.php", "https://url.host.io:443/",
    HASHES[0], HASHES[0].upper(), HASHES[1] + ".exe", "x" + HASHES[2], HASHES[2][:-1],
    "2001:db8::1", "[2001:DB8:0:0:0:0:0:1]", "2001:db8:ff::7", "::ffff:1.2.3.4",
    "fe80::1%eth0", "10:00:00", "a:b:c:d:e:f:g",
    " ", " ", " ", ":", "@", ".", "-", "_", "%", "/", "=", "\"", ",", "\x00", "\t",
    "\n", "é", "bücher.de", "\xff", "[", "]", "(.)", "a", "0", "9", "com",
]  # fmt: skip


MARK_PARTS = [*DEFANG_MARKS, b"DOT]", b"[AT]", b"hXXp", b"x", b"[", b"do", b"t]", b"a", b"\n"]


def _matching_lines(matcher: TokenMatcher, text: bytes) -> set[int]:
    """Indices of the lines in which the exact rules find anything (any token)."""
    found = set()
    for index, line in enumerate(text.lower().split(b"\n")):
        if any(next(matcher.token(t), None) is not None for t in TOKEN_RE.findall(line)):
            found.add(index)
    return found


def _scan(indicators: IndicatorSet, text: bytes) -> tuple[set[int], set[int], Any]:
    table, _ = native.build_table(indicators)
    flagged, special, newlines = table.scan(text)
    return {i for _, i in flagged}, {i for _, i in special}, newlines


def test_ci_did_not_lose_the_native_build() -> None:
    """scripts/test.sh sets OPENWARP_REQUIRE_NATIVE=1: a silent fallback fails there."""
    if os.environ.get("OPENWARP_REQUIRE_NATIVE") != "1":
        pytest.skip("OPENWARP_REQUIRE_NATIVE is not set")
    assert native.unavailable() is None


@needs_native
@pytest.mark.parametrize("with_v6", [False, True])
@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=12), max_size=6))
def test_no_line_the_exact_rules_accept_is_missed(with_v6: bool, lines: list[list[str]]) -> None:
    indicators = make_set(*EVERY_KIND, *(V6 if with_v6 else []))
    text = "\n".join("".join(parts) for parts in lines).encode()
    flagged, special, newlines = _scan(indicators, text)
    assert _matching_lines(TokenMatcher(indicators), text) <= flagged | special
    assert newlines == text.count(b"\n")


@needs_native
def test_each_kind_of_indicator_flags_its_line_and_near_misses_do_not() -> None:
    indicators = make_set(*EVERY_KIND)
    lines = [
        "GET http://WWW.EVIL.COM./a", "client 001.002.003.004#53", "to 10.20.9.9 ok",
        "192.0.2.5 in the /26", "conn 9.9.9.9:8080", "from x@mail.bad.net", "url.host.io",
        f"file {HASHES[2].upper()}", "host.bad.co.uk.",
        # near misses: substrings, longer addresses, neighbours of the blocks
        "notevil.com", "evil.com.au", "11.2.3.4 1.2.3.45", "10.21.0.1 192.0.2.64",
        "co.uk", HASHES[0][:-1],
    ]  # fmt: skip
    flagged, special, _ = _scan(indicators, "\n".join(lines).encode())
    assert flagged == set(range(9)) and not special


@needs_native
@pytest.mark.parametrize("with_v6", [False, True])
def test_a_hash_inside_a_longer_token_is_flagged_as_the_exact_rules_find_it(
    with_v6: bool,
) -> None:
    """Found by the property test in CI: `<md5>%` (a zone-id sign after it)
    was ruled out by its length alone."""
    indicators = make_set(*EVERY_KIND, *(V6 if with_v6 else []))
    lines = [f"{HASHES[0]}%", f"x_{HASHES[1]}", f"{HASHES[0]}%eth0 seen", f"%{HASHES[2]}%"]
    text = "\n".join(lines).encode()
    expected = _matching_lines(TokenMatcher(indicators), text)
    assert expected == {0, 1, 2, 3}  # the exact rules do find each of them
    flagged, special, _ = _scan(indicators, text)
    assert expected <= flagged | special


@needs_native
def test_what_c_cannot_judge_goes_to_the_python_path() -> None:
    indicators = make_set("evil.com", *V6)
    text = "plain line\nbücher.de\nfrom 2001:DB8::7 x\n10:00:00 time\n".encode()
    flagged, special, _ = _scan(indicators, text)
    assert (flagged, special) == (set(), {1, 2})  # non-ASCII, IPv6; a time is neither
    flagged, special, _ = _scan(make_set("evil.com"), text)
    assert special == {1}  # without IPv6 indicators, colons are only separators


@needs_native
def test_megabyte_lines_nul_bytes_and_a_missing_last_newline() -> None:
    indicators = make_set(*EVERY_KIND)
    long_line = b"x" * (3 << 20) + b" evil.com"
    dots = b"a." * 400_000 + b"evil.com"  # a suffix to find past 400k labels
    text = b"\x00\x00\n" + long_line + b"\n\x00evil.com\x00\n" + dots + b"\nend 1.2.3.4"
    flagged, special, newlines = _scan(indicators, text)
    assert flagged == {1, 2, 3, 4} and not special and newlines == 4


@needs_native
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_are_scanned_without_a_crash_and_with_true_line_numbers(
    data: bytes,
) -> None:
    table, _ = native.build_table(make_set(*EVERY_KIND, *V6))
    flagged, special, newlines = table.scan(data)
    assert newlines == data.count(b"\n") == native.count_lines(data)
    for start, index in flagged + special:
        assert start == 0 or data[start - 1] == 10
        assert index == data.count(b"\n", 0, start)


@needs_native
@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(MARK_PARTS), max_size=8))
def test_defanged_marks_are_seen_as_python_sees_them(parts: list[bytes]) -> None:
    table, _ = native.build_table(make_set("evil.com"))
    text = b"".join(parts)
    assert table.defanged(text) == any(mark in text.lower() for mark in DEFANG_MARKS)


def _hits(path: Path, indicators: IndicatorSet, engine: str) -> list[tuple[int, str, str]]:
    summary = Summary()
    items = sweep_paths([str(path)], indicators, summary, workers=1, engine=engine)
    hits = [(i.line, i.indicator, i.matched) for i in items if not isinstance(i, SweepWarning)]
    assert summary.engine.startswith(engine)
    return hits


@needs_native
def test_whole_sweeps_across_pieces_and_blocks_match_the_python_engine(tmp_path: Path) -> None:
    """Lines around the 256 KB piece and 4 MB block edges, a 5 MB line, NUL bytes,
    upper case and trailing dots: the line numbers a user reads are the same."""
    filler = b"2023-11-14T10:00:00Z gw app[7]: lookup ok.example from 10.0.0.1 done\n"
    chunks = [filler * (PIECE_SIZE // len(filler)), b"GET http://WWW.EVIL.COM./ \x00\n"]
    chunks += [filler * 100, b"x" * (5 << 20) + b" 001.002.003.004\n", b"\x00" * 10 + b"\n"]
    chunks += [filler * ((4 << 20) // len(filler)), b"from X@Mail.Bad.Net. and 10.20.1.2"]
    path = tmp_path / "mixed.log"
    path.write_bytes(b"".join(chunks))
    indicators = make_set(*EVERY_KIND)
    native_hits = _hits(path, indicators, "native")
    assert native_hits == _hits(path, indicators, "python")
    before = [chunk.count(b"\n") for chunk in chunks]
    expected = {before[0] + 1, sum(before[:3]) + 1, sum(before[:6]) + 1}
    assert {line for line, _, _ in native_hits} == expected
