"""Our runner over the public vers-spec test files (package-url/vers-spec, MIT)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.native_ranges import vers_from_native
from openwarp.core.vulns.vers import (
    canonicalise_vers,
    compare_in_scheme,
    parse_vers,
    sort_in_scheme,
    vers_contains,
)
from openwarp.core.vulns.versions import Ordering

SPEC_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "made" / "vulns" / "vers-spec"


def _cases() -> list[Any]:
    out = []
    for file in sorted(SPEC_DIR.glob("*.json")):
        for index, case in enumerate(orjson.loads(file.read_bytes())["tests"]):
            out.append(pytest.param(case, id=f"{file.stem}[{index}]"))
    return out


CASES = _cases()
# One published expectation differs from npm's documented meaning: node-semver reads
# `~0.8.0-pre` as >=0.8.0-pre <0.9.0-0 (any 0.8.x), the file as two narrow lines
# (>=0.8.0-pre|<0.8.0|>=0.8.0|<0.8.1) that would miss 0.8.1 to 0.8.x. We keep
# npm's meaning, as a matcher must not narrow an affected range.
NPM_SEMANTICS = {
    ">= 0.2.0 <= 0.9.6 || ~0.8.0-pre": "vers:npm/>=0.2.0|>=0.8.0-pre|<0.9.0|<=0.9.6",
}
# One conan case expects `vers:conan/` for an empty native range: that is not a
# `vers:` range (it has no constraint) and an empty Conan expression names no
# version, so we refuse it with the reason rather than write an invalid range.
REFUSED = {("conan", ""): "an empty range names no version"}
# A bare version means equality; newer spec files write its comparator as "" where
# older ones write "=". We report "=".
BARE = {"": "="}


EXPECTED_CASES = {
    "alpine_version_cmp_test": 716,
    "alpm_version_cmp_test": 42,
    "conan_range_from_native_basic_test": 20,
    "conan_range_from_native_test": 209,
    "conan_version_cmp_test": 47,
    "datetime_version_cmp_test": 7,
    "gem_range_from_native_test": 1,
    "gentoo_version_cmp_test": 48,
    "intdot_version_cmp_test": 9,
    "lexicographic-test": 8,
    "maven_version_cmp_test": 977,
    "nginx_range_from_native_test": 4,
    "npm_range_containment_test": 1,
    "npm_range_from_native_test": 491,
    "nuget_range_from_native_test": 1,
    "nuget_version_cmp_test": 33,
    "openssl_range_from_native_test": 8,
    "openssl_version_cmp_test": 44,
    "pypi_range_containment_test": 10,
    "pypi_range_from_native_test": 3,
    "pypi_range_roundtrip_test": 19,
    "pypi_range_validate_test": 19,
    "vers_reserved_type_test": 4,
    "vers_canonical_parse_test": 16,
}


def test_the_spec_files_are_all_there() -> None:
    counts: dict[str, int] = {}
    for param in CASES:
        stem = str(param.id).rsplit("[", 1)[0]
        counts[stem] = counts.get(stem, 0) + 1
    assert counts == EXPECTED_CASES


@pytest.mark.parametrize("case", CASES)
def test_vers_spec_case(case: dict[str, Any]) -> None:
    kind, given, expected = case["test_type"], case["input"], case.get("expected_output")
    if kind == "parse":
        if case.get("expected_failure"):
            with pytest.raises(InvalidInput) as caught:
                parse_vers(given)
            assert caught.value.message == case["expected_message"]
        else:
            parsed = parse_vers(given)
            assert parsed.scheme == expected["type"]
            assert [list(c) for c in parsed.constraints] == [
                [BARE.get(op, op), version] for op, version in expected["constraints"]
            ]
            assert parsed.warning == case.get("expected_message")
    elif kind == "validate":
        assert canonicalise_vers(given) == expected
    elif kind == "comparison":
        scheme = given.get("input_type") or given.get("input_scheme")
        assert sort_in_scheme(scheme, list(given["versions"])) == expected
    elif kind == "equality":
        scheme = given.get("input_type") or given.get("input_scheme")
        first, second = given["versions"]
        assert (compare_in_scheme(scheme, first, second) is Ordering.EQUAL) is expected
    elif kind == "containment" and case.get("expected_failure"):
        with pytest.raises(InvalidInput) as caught:
            vers_contains(given["vers"], given["version"])
        assert caught.value.message == case["expected_message"]
    elif kind == "containment":
        assert vers_contains(given["vers"], given["version"]) is expected
    elif kind == "from_native":
        native, scheme = given["native_range"], given["scheme"]
        if (scheme, native) in REFUSED:
            with pytest.raises(InvalidInput, match=REFUSED[scheme, native]):
                vers_from_native(scheme, native)
            return
        expected = NPM_SEMANTICS.get(native, expected)
        assert vers_from_native(scheme, native) == expected
    else:
        pytest.fail(f"unknown test type {kind}")


def test_vendor_scheme_ranges_use_our_comparator() -> None:
    assert vers_contains("vers:generic/>=10.2.0|<10.2.9-h1", "10.2.8-h3") is True
    assert vers_contains("vers:generic/>=10.2.0|<10.2.9-h1", "10.2.9-h1") is False
    assert vers_contains("vers:generic/<2.0|>=3.0|<3.5", "3.2") is True
    assert vers_contains("vers:generic/<2.0|>=3.0|<3.5", "2.5") is False
    assert vers_contains("vers:generic/>=15.2(4)M", "15.2(4)E") is None


def test_ecosystem_ranges_order_pre_releases_the_ecosystem_way() -> None:
    # PEP 440: a release candidate comes before its release.
    assert vers_contains("vers:pypi/<2.0", "2.0rc1") is True
    # SemVer: numeric pre-release fields compare as numbers (beta.10 after beta.2).
    assert vers_contains("vers:npm/>=1.2.3-beta.2|<1.2.3", "1.2.3-beta.10") is True
    assert vers_contains("vers:npm/>=1.2.3-beta.2|<1.2.3", "1.2.3") is False
    # NuGet: case-insensitive labels, four numeric parts, build metadata ignored.
    assert vers_contains("vers:nuget/>=4.0.0-RC1|<4.0.0.1", "4.0.0+build7") is True
    # datetime: instants, whatever the offset.
    assert vers_contains("vers:datetime/<2024-01-01T00:00:00Z", "2024-01-01T00:30:00+01:00") is True


def test_unreadable_ecosystem_versions_cannot_be_compared() -> None:
    assert vers_contains("vers:pypi/>=1.0", "not a version") is None
    assert vers_contains("vers:npm/>=1.0.0", "1.0") is None
    assert vers_contains("vers:nuget/>=1.0.0", "1.0.0.0.0") is None
    assert vers_contains("vers:datetime/>=2024-01-01T00:00:00Z", "2024-01-01T00:00:00") is None


def test_out_of_order_ranges_are_refused_by_the_parser_but_read_for_containment() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_vers("vers:pypi/>=3.0.0|2.0.3")
    assert caught.value.message == "non-canonical VERS: constraints are not sorted by version"
    assert vers_contains("vers:pypi/>=3.0.0|2.0.3", "2.0.3") is True
    assert vers_contains("vers:pypi/>=3.0.0|2.0.3", "2.5") is False


def test_an_openssl_range_reads_letter_releases_and_pre_releases() -> None:
    heartbleed = "vers:openssl/>=1.0.1|<1.0.1g"
    assert vers_contains(heartbleed, "1.0.1f") is True
    assert vers_contains(heartbleed, "1.0.1g") is False
    assert vers_contains(heartbleed, "1.0.0z") is False
    assert vers_contains("vers:openssl/<3.0.0", "3.0.0-beta2") is True
    assert vers_contains("vers:openssl/<1.0.2", "1.0.1za") is True


def test_a_gentoo_range_puts_revisions_before_patch_releases() -> None:
    assert vers_contains("vers:gentoo/>=1.0_rc1|<1.0_p1", "1.0-r3") is True
    assert vers_contains("vers:gentoo/>=1.0_rc1|<1.0_p1", "1.0_beta2") is False
    assert vers_contains("vers:gentoo/<1.01", "1.1") is False


def test_a_conan_range_reads_pre_releases_and_builds() -> None:
    assert vers_contains("vers:conan/>=1.2.0|<1.3", "1.3-rc1") is True
    assert vers_contains("vers:conan/>=1.2.0|<1.3", "1.3+b2") is False
    assert vers_contains("vers:conan/>=1.2.0|<1.3", "1.2") is True


def test_an_arch_range_compares_epochs_first() -> None:
    assert vers_contains("vers:alpm/>=1:2.0-1|<1:2.4.1-1", "1:2.3-2") is True
    assert vers_contains("vers:alpm/>=1:2.0-1|<1:2.4.1-1", "2.9-1") is False
    assert vers_contains("vers:alpm/<1.0", "1.0rc1") is True


def test_a_maven_range_reads_qualifiers_the_maven_way() -> None:
    log4shell = "vers:maven/>=2.0-beta9|<2.15.0"
    assert vers_contains(log4shell, "2.14.1") is True
    assert vers_contains(log4shell, "2.15.0-rc1") is True
    assert vers_contains(log4shell, "2.15.0") is False
    assert vers_contains(log4shell, "2.0-alpha1") is False
    assert vers_contains(log4shell, "2.0-beta9") is True


def test_native_ranges_we_cannot_read_are_refused_with_the_reason() -> None:
    assert vers_from_native("pypi", ">=2.0, !=2.1.3, <3") == "vers:pypi/>=2.0|!=2.1.3|<3"
    assert vers_from_native("nuget", "(1.0,)") == "vers:nuget/>1.0"
    assert vers_from_native("nuget", "[1.0]") == "vers:nuget/1.0"
    with pytest.raises(InvalidInput, match=r"'~=1\.4' is not a supported specifier"):
        vers_from_native("pypi", "~=1.4")
    with pytest.raises(InvalidInput, match="has no exact version"):
        vers_from_native("pypi", "==1.*")
    with pytest.raises(InvalidInput, match="expected an interval"):
        vers_from_native("nuget", "[1.0, 2.0")
    with pytest.raises(InvalidInput, match="no native range syntax is read for 'composer'"):
        vers_from_native("composer", "^1.2")


@pytest.mark.parametrize(
    ("native", "expected"),
    [
        ("^1.2.3", "vers:npm/>=1.2.3|<2.0.0"),
        ("^0.2.3", "vers:npm/>=0.2.3|<0.3.0"),
        ("^0.0.3", "vers:npm/>=0.0.3|<0.0.4"),
        ("^1.2", "vers:npm/>=1.2.0|<2.0.0"),
        ("~1.2.3", "vers:npm/>=1.2.3|<1.3.0"),
        ("~1", "vers:npm/>=1.0.0|<2.0.0"),
        ("1.x", "vers:npm/>=1.0.0|<2.0.0"),
        ("1.2.*", "vers:npm/>=1.2.0|<1.3.0"),
        ("<1.2.x", "vers:npm/<1.2.0"),
        ("1.0.0 - 2.1", "vers:npm/>=1.0.0|<2.2.0"),
        ("x", "vers:npm/*"),
        ("^4.0.0 || *", "vers:npm/*"),
        ("v1.0.0", "vers:npm/1.0.0"),
    ],
)
def test_npm_native_ranges(native: str, expected: str) -> None:
    assert vers_from_native("npm", native) == expected


@pytest.mark.parametrize(
    ("native", "why"),
    [
        ("latest", "'latest' is not a version"),
        ("^1.2-beta", "pre-release on a partial version"),
        ("1.0.0 ||", "an empty alternative"),
        (">=1.0.0 && <2.0.0", "'&&' is not a version"),
    ],
)
def test_npm_ranges_we_cannot_read_are_refused(native: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(why)):
        vers_from_native("npm", native)


def test_apk_orders_suffixes_letters_and_releases_the_alpine_way() -> None:
    # Alpine's suffix ranking, around a plain release.
    ladder = [
        "1.0_alpha",
        "1.0_beta2",
        "1.0_pre1",
        "1.0_rc1",
        "1.0",
        "1.0-r1",
        "1.0_cvs",
        "1.0_svn",
        "1.0_git",
        "1.0_hg",
        "1.0_p1",
        "1.0a",
        "1.0.1",
    ]
    assert sort_in_scheme("apk", list(reversed(ladder))) == ladder
    # A later part with a leading zero is a decimal fraction.
    assert compare_in_scheme("apk", "4.09", "4.5") is Ordering.LESS
    assert vers_contains("vers:apk/>=3.0.0|<3.0.12-r1", "3.0.12") is True
    assert vers_contains("vers:apk/>=3.0.0|<3.0.12-r1", "3.0.12-r1") is False


def test_apk_refuses_what_it_cannot_order() -> None:
    # Two source commits cannot be ordered; a stray word is not an Alpine version.
    assert compare_in_scheme("apk", "1.0~abc123", "1.0~def456") is Ordering.INCOMPARABLE
    assert compare_in_scheme("apk", "1.0~abc123", "1.1~def456") is Ordering.LESS
    assert vers_contains("vers:apk/<2.0", "2.0-beta") is None


def test_canonicalising_sorts_constraints_but_keeps_what_was_written() -> None:
    assert canonicalise_vers("vers:pypi/ <2.0 | >=1.0 | >=1.0 ") == "vers:pypi/>=1.0|>=1.0|<2.0"
    # Versions the scheme cannot order are left in the order given.
    assert canonicalise_vers("vers:npm/<2.0.0|not-semver") == "vers:npm/<2.0.0|not-semver"


@pytest.mark.parametrize(
    ("scheme", "native", "expected"),
    [
        ("gem", "~> 2", "vers:gem/>=2|<3"),
        ("gem", "~> 1.0.0.rc1", "vers:gem/>=1.0.0.rc1|<1.1"),
        ("gem", ">= 1.2, < 2, != 1.5", "vers:gem/>=1.2|!=1.5|<2"),
        ("gem", "~> 5.2.4, >= 5.2.4.3", "vers:gem/>=5.2.4.3|<5.3"),
        ("gem", ">= 1.0, != 0.9, = 1.5", "vers:gem/1.5"),
        ("nginx", "1.5.11+, 1.4.7+", "vers:nginx/>=1.4.7|<1.5.0|>=1.5.11"),
        ("nginx", "1.5.10-1.5.11", "vers:nginx/>=1.5.10|<=1.5.11"),
        ("conan", "[>1 <2.0 || ^3.2, include_prerelease]", "vers:conan/>1|<2.0|>=3.2|<4"),
        ("conan", "^0.0.3", "vers:conan/>=0.0.3|<0.0.4"),
    ],
)
def test_gem_nginx_and_conan_native_ranges(scheme: str, native: str, expected: str) -> None:
    assert vers_from_native(scheme, native) == expected


def test_gem_versions_order_the_rubygems_way() -> None:
    assert vers_contains("vers:gem/<1.0", "1.0.a") is True  # a pre-release comes first
    assert vers_contains("vers:gem/>=1.0|<1.0.1", "1") is True  # trailing zeros do not count
    assert vers_contains("vers:gem/>=2.0.8|<2.1", "2.0.10") is True
    assert vers_contains("vers:gem/>=2.0.8|<2.1", "2.1.0.beta") is True
    assert vers_contains("vers:gem/>=1.2|!=1.5|<2", "1.5") is False
    assert vers_contains("vers:gem/>=1.0", "one") is None
    assert compare_in_scheme("gem", "1.0.0-rc1", "1.0.0.pre.rc1") is Ordering.EQUAL
    assert compare_in_scheme("gem", "1.0.0-rc1", "1.0.0.rc1") is Ordering.LESS


def test_an_nginx_stable_branch_fix_does_not_cover_the_next_branch() -> None:
    fixed = vers_from_native("nginx", "1.5.11+, 1.4.7+")
    assert [vers_contains(fixed, v) for v in ("1.4.6", "1.4.7", "1.5.10", "1.5.11", "1.7.2")] == [
        False,
        True,
        False,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("scheme", "native", "why"),
    [
        ("gem", "< 1, > 2", "no version satisfies every requirement"),
        ("gem", "latest", "'latest' is not a RubyGems requirement"),
        ("nginx", "1.5.x", "'1.5.x' is not a version, a-b or a+"),
        ("conan", ">1 <2, loose=False, exotic", "unknown option 'exotic'"),
        ("conan", "~cci.20200203", "'cci.20200203' has no numeric parts to keep"),
        ("conan", "  ", "an empty range names no version"),
    ],
)
def test_gem_nginx_and_conan_ranges_we_cannot_read_are_refused(
    scheme: str, native: str, why: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(why)):
        vers_from_native(scheme, native)
