"""Vendor version comparison: the notations members' appliances actually report."""

from __future__ import annotations

import pytest

from openwarp.core.vulns.versions import Ordering, compare_versions, split_update

LESS, EQUAL, GREATER, NOPE = (
    Ordering.LESS,
    Ordering.EQUAL,
    Ordering.GREATER,
    Ordering.INCOMPARABLE,
)

CASES = [
    # numbers, not strings (Dependency-Track#2803: "2.4.10" < "2.4.9" as text)
    ("2.4.9", "2.4.10", LESS),
    ("2.4.10", "2.4.9", GREATER),
    # trailing zeros and stray whitespace
    ("153.0", "153.0.0", EQUAL),
    (" 10.2.9-h1 ", "10.2.9-h1", EQUAL),
    ("1.0\t", "1", EQUAL),
    # Cisco IOS: trains are letters after the parenthesised rebuild
    ("15.2(4)M", "15.2(4)M1", LESS),
    ("15.2(4)M10", "15.2(4)M9", GREATER),
    ("15.2(4)M", "15.2(5)M", LESS),
    ("15.2(4)M", "15.2(4)E", NOPE),
    ("7.3(6)N1(1a)", "7.3(6)N1(1)", GREATER),
    # Citrix NetScaler release-build
    ("13.1-49.15", "13.1-51.15", LESS),
    ("13.1-49.15", "14.1-4.42", LESS),
    # PAN-OS hotfixes sort after their base release and before the next one
    ("10.2.9", "10.2.9-h1", LESS),
    ("10.2.9-h1", "10.2.9-h10", LESS),
    ("10.2.9-h10", "10.2.10", LESS),
    # Ivanti Connect Secure
    ("22.7R2.3", "22.7R2", GREATER),
    ("22.7R1.4", "22.7R2", LESS),
    ("9.1R18", "22.6R2", LESS),
    # Windows builds
    ("10.0.14393.5850", "10.0.14393.6000", LESS),
    ("10.0.17763.6293", "10.0.17763.6293", EQUAL),
    # pre-releases sort before the release, patch letters after it
    ("1.0rc1", "1.0", LESS),
    ("1.0b2", "1.0rc1", LESS),
    ("1.1.1k", "1.1.1l", LESS),
    ("1.1.1", "1.1.1a", LESS),
    ("v4.0.1", "4.0.1", EQUAL),
    # cannot compare: free text, two different hotfix families
    ("Modem LR12A", "1.0", NOPE),
    ("10.2.9-h1", "10.2.9.1", NOPE),
    ("", "1.0", NOPE),
]


@pytest.mark.parametrize(("left", "right", "expected"), CASES)
def test_vendor_versions_order_as_their_vendor_means(
    left: str, right: str, expected: Ordering
) -> None:
    assert compare_versions(left, right) is expected


@pytest.mark.parametrize(("left", "right", "expected"), CASES)
def test_swapping_the_sides_reverses_the_order(left: str, right: str, expected: Ordering) -> None:
    mirrored = {LESS: GREATER, GREATER: LESS, EQUAL: EQUAL, NOPE: NOPE}[expected]
    assert compare_versions(right, left) is mirrored


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10.2.9-h1", ("10.2.9", "h1")),
        ("10.2.9-H1 ", ("10.2.9", "h1")),
        ("11.0.4", ("11.0.4", None)),
        ("22.7R2.3", ("22.7r2.3", None)),
    ],
)
def test_hotfix_suffix_splits_like_the_cpe_update_field(
    typed: str, expected: tuple[str, str | None]
) -> None:
    assert split_update(typed) == expected
