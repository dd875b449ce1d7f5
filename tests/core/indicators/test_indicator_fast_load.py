"""The fast load path gives exactly the set the general, one-by-one path gives.

``canonical_kinds`` (C, ``csrc/kinds.c``) must claim a value only when the
loader's ``canonical`` rule does, with the same type, and ``build_set``'s bulk
runs must leave the same indicators, in the same order, in the same tables as
adding each row through ``classify``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators import IndicatorSet, build_set, classify, load_indicators
from openwarp.core.indicators.build import Row, make_indicator
from openwarp.core.indicators.canonical import KIND_TYPES, canonical, canonical_kinds
from openwarp.core.sweep import native

EXAMPLES = int(os.environ.get("OPENWARP_FAST_LOAD_EXAMPLES", "400"))
needs_native = pytest.mark.skipif(native.unavailable() is not None, reason="no native build")

_LABEL = st.text(alphabet="abcxyzAZ019_-", min_size=0, max_size=8)
_OCTET = st.sampled_from(["0", "00", "1", "01", "001", "9", "10", "99", "100", "199", "200"])
_OCTET_MORE = _OCTET | st.sampled_from(["249", "250", "255", "256", "260", "300", "999", "1000"])
_PORT = st.sampled_from(
    ["", ":", ":0", ":1", ":08", ":80", ":65535", ":65536", ":99999", ":123456"]
)
_HEX = st.text(alphabet="0123456789abcdefABCDEFg", min_size=31, max_size=65)
AWKWARD = st.one_of(
    st.builds(".".join, st.lists(_LABEL, min_size=1, max_size=5)),  # domains, good and bad
    st.builds(
        lambda h, tail: h + tail,
        st.builds(".".join, st.lists(_LABEL, max_size=4)),
        st.sampled_from(["", ".", "..", "-", ".com", ".co.uk", ".xn--p1ai", ".рф", ".Com"]),
    ),
    st.builds(lambda o, p: ".".join(o) + p, st.lists(_OCTET_MORE, min_size=3, max_size=5), _PORT),
    _HEX,
    st.sampled_from(
        [
            "a" * 63 + ".com",
            "a" * 64 + ".com",
            ".".join(["a" * 50] * 5) + ".com",
            ".".join(["a" * 49] * 5) + ".co",
            "пример.рф",
            "EVIL.com",
            "evil.com.",
            "evil[.]com",
            "1.2.3[.]4",
            "hxxp://evil.com/a",
            "::1",
            "2001:DB8::1",
            "[2001:db8::1]:443",
            "1.2.3.0/24",
            "http://evil.com:80/a%7e",
            "https://evil.com/%2F",
            "http://evil.com/./a",
            "a@evil.com",
            "١.٢.٣.٤",
            "x.y",
            "-a.com",
            "a-.com",
            "_a.com",
            "a_.com",
            "a.b_c",
            "a.1com",
            "",
            " ",
        ]
    ),
    st.text(max_size=12),
)


def _general(rows: list[Row]) -> IndicatorSet:
    """The general path: every row through ``make_indicator`` and ``add``, one by one."""
    indicators = IndicatorSet()
    for _, _, raw, source, tlp in rows:
        try:
            indicator, key = make_indicator(raw.strip(), source, tlp)
        except (InvalidInput, ValueError):
            continue
        if key is None:
            indicators.add(indicator)
        else:
            indicators.add_keyed(indicator, key)
    return indicators.freeze()


def _same_sets(fast: IndicatorSet, general: IndicatorSet) -> None:
    assert fast.indicators == general.indicators
    for table in ("domains", "ipv4", "ipv6", "hashes", "emails", "ip_ports", "urls", "url_hosts"):
        assert getattr(fast, table) == getattr(general, table), table
    assert (fast.cidr4.starts, fast.cidr4.ends) == (general.cidr4.starts, general.cidr4.ends)


@needs_native
@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(values=st.lists(AWKWARD, max_size=30))
def test_native_claims_a_value_only_as_the_canonical_rule_does(values: list[str]) -> None:
    for value, code in zip(values, canonical_kinds(values), strict=True):
        rule = canonical(value)
        if code:
            assert rule == (KIND_TYPES[code], value.encode()), value
            assert classify(value) == (KIND_TYPES[code], value), value
        else:
            assert rule is None or str(rule[0]) == "url", value


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("evil.com", "domain"),
        ("a_b.co.uk", "domain"),
        ("10.0.0.255", "ipv4"),
        ("1.2.3.4:8080", "ip-port"),
        ("d41d8cd98f00b204e9800998ecf8427e", "md5"),
        ("EVIL.com", None),
        ("evil.com.", None),
        ("010.0.0.1", None),
        ("1.2.3.4:65536", None),
        ("D41D8CD98F00B204E9800998ECF8427E", None),
        ("http://evil.com/a", None),
        ("evil[.]com", None),
        ("пример.рф", None),
        ("::1", None),
        ("", None),
    ],
)
def test_which_values_skip_the_general_path(value: str, kind: str | None) -> None:
    """Lower-case names, plain quads and hashes are claimed; anything needing work is not."""
    code = canonical_kinds([value])[0]
    if native.unavailable() is not None:
        assert code == 0
    else:
        assert (str(KIND_TYPES[code]) if code else None) == kind


def test_digits_of_other_scripts_are_read_as_an_address_not_kept_as_written(
    tmp_path: Path,
) -> None:
    """ "١.٢.٣.٤" is 1.2.3.4 to ``classify``; the fast path once kept it as its own key."""
    path = tmp_path / "iocs.txt"
    path.write_text("١.٢.٣.٤\n")
    indicators = load_indicators([path]).indicators
    assert [(i.value, i.key) for i in indicators.indicators] == [("١.٢.٣.٤", "1.2.3.4")]
    assert list(indicators.ipv4) == [b"1.2.3.4"]


_POOL = st.sampled_from(
    [
        "evil.com",
        "EVIL.com",
        "evil.com.",
        "evil[.]com",
        "a.evil.com",
        "1.2.3.4",
        "001.2.3.4",
        "1.2.3.4:80",
        "d41d8cd98f00b204e9800998ecf8427e",
        "D41D8CD98F00B204E9800998ECF8427E",
        "http://evil.com/a",
        "1.2.3.0/24",
        "2001:db8::1",
        "x@evil.com",
        "/bare",
        "com",
    ]
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    head=st.lists(_POOL | AWKWARD, max_size=20),
    run=st.lists(
        st.sampled_from(["evil.com", "b.org", "c.net", "evil.com"])
        | st.builds("{}.example.org".format, st.integers(0, 60)),
        min_size=64,
        max_size=150,
    ),
    tail=st.lists(_POOL, max_size=20),
    reports=st.lists(st.sampled_from([None, "r1", "r2"]), min_size=1, max_size=3),
    tlps=st.sampled_from([None, "clear", "amber"]),
)
def test_bulk_runs_build_the_same_set_as_one_by_one(
    head: list[str], run: list[str], tail: list[str], reports: list[str | None], tlps: str | None
) -> None:
    """Long runs of one kind (the bulk path), repeats within and across runs, values
    that are the same indicator written differently, several reports and TLPs."""
    values = [*head, *run, *tail, *run[:70]]
    rows: list[Row] = [
        ("f", n, value, reports[n % len(reports)] if n % 7 else reports[0], tlps)
        for n, value in enumerate(values, 1)
    ]
    _same_sets(build_set(rows).indicators, _general(rows))
    _same_sets(build_set(rows).indicators, build_set(iter(rows)).indicators)


def test_without_the_extension_the_load_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [f"host{n}.example.org" for n in range(3000)] + ["EVIL.com", "1.2.3.4", "1.2.3.4"]
    path = tmp_path / "iocs.txt"
    path.write_text("\n".join(lines) + "\n")
    with_native = load_indicators([path]).indicators
    monkeypatch.setattr(native, "_WHY", "the native extension is not built (test)")
    assert canonical_kinds(["evil.com"]) == b"\x00"
    _same_sets(load_indicators([path]).indicators, with_native)


def test_a_big_plain_list_keeps_line_numbers_across_batches(tmp_path: Path) -> None:
    """Files are read a megabyte at a time; a rejected value still names its line."""
    lines = ["\ufeffhost0.example.org"] + [f"host{n}.example.org" for n in range(1, 120_000)]
    lines[100_000] = "/bare/path"
    lines[100_001] = "# a comment"
    lines[100_002] = "host100002.example.org  # C2"
    path = tmp_path / "iocs.txt"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    report = load_indicators([path])
    assert report.examples == [f"{path}:100001: '/bare/path' is a bare path; a sweep needs a host"]
    values = [i.value for i in report.indicators.indicators]
    assert len(values) == 119_998
    assert values[0] == "host0.example.org" and "host100002.example.org" in values
    assert b"host119999.example.org" in report.indicators.domains
