"""Version orderings for `vers:` ranges (pypi, npm and the other SemVer schemes
semver, golang and cargo, nuget, maven, openssl, gentoo, conan, alpm, apk, rpm,
deb, gem, datetime).

Inventories carry package URLs and CSAF advisories carry `vers:` ranges, so a
range like `vers:pypi/>=2.0|<2.31.0` must be read with the ecosystem's own
ordering, not a generic one: PEP 440 puts `2.0rc1` before `2.0`; NuGet ignores
case in pre-release labels and build metadata; Maven ranks qualifiers (`alpha`
< `beta` < `milestone` < `rc` < `snapshot` < release < `sp`); OpenSSL's letter
releases run `1.0.1` < `1.0.1a` < ... < `1.0.1z` < `1.0.1za`; Gentoo reads
`1.0_rc1` < `1.0` < `1.0-r1` < `1.0_p1`; Conan puts `1.1-pre1` < `1.1` <
`1.1+b1` and ignores trailing zeros; `datetime`
compares instants, not text. Each comparator returns None for a version the
scheme cannot read, so the caller reports "cannot compare" instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from packaging.version import InvalidVersion, Version

from openwarp.core.vulns.alpm import compare_alpm
from openwarp.core.vulns.apk import compare_apk, number_parts_order, suffix_order
from openwarp.core.vulns.deb import compare_deb
from openwarp.core.vulns.gem_ranges import compare_gem
from openwarp.core.vulns.liferay import LIFERAY, compare_liferay
from openwarp.core.vulns.maven import compare_maven
from openwarp.core.vulns.rpm import compare_rpm

__all__ = ["SCHEME_COMPARATORS", "canonical_in_scheme"]

_SEMVER = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)
_NUGET = re.compile(
    r"^(\d+(?:\.\d+){0,3})"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)
_OPENSSL = re.compile(r"^(\d+(?:\.\d+)*)([a-z]*)(?:-([0-9A-Za-z.-]+))?$")
_GENTOO = re.compile(r"^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|p)\d*)*)(?:-r(\d+))?$")
_GENTOO_SUFFIX = re.compile(r"_(alpha|beta|pre|rc|p)(\d*)")
_GENTOO_RANK = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3, "p": 5}
_GENTOO_NONE = 4  # a release without a suffix sits between _rc and _p
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


def _sign(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def _prerelease_cmp(left: list[str], right: list[str]) -> int:
    """SemVer 2.0 pre-release precedence: field by field, numbers below words."""
    for a, b in zip(left, right, strict=False):
        a_num, b_num = a.isdigit(), b.isdigit()
        if a_num and b_num:
            order = _sign(int(a), int(b))
        elif a_num or b_num:
            order = -1 if a_num else 1
        else:
            order = _sign(a, b)
        if order:
            return order
    return _sign(len(left), len(right))


def _release_then_pre(
    left: tuple[tuple[int, ...], list[str]], right: tuple[tuple[int, ...], list[str]]
) -> int:
    order = _sign(left[0], right[0])
    if order:
        return order
    if not left[1] or not right[1]:  # a release sorts after its pre-releases
        return _sign(not left[1], not right[1])
    return _prerelease_cmp(left[1], right[1])


@lru_cache(maxsize=8192)
def _pep440(version: str) -> Version | None:
    try:
        return Version(version)
    except InvalidVersion:
        return None


def _pypi(left: str, right: str) -> int | None:
    a, b = _pep440(left), _pep440(right)
    return None if a is None or b is None else _sign(a, b)


@lru_cache(maxsize=8192)
def _semver_parts(version: str) -> tuple[tuple[int, ...], list[str]] | None:
    match = _SEMVER.match(version)
    if not match:
        return None
    core = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return core, (match.group(4).split(".") if match.group(4) else [])


def _npm(left: str, right: str) -> int | None:
    a, b = _semver_parts(left), _semver_parts(right)
    return None if a is None or b is None else _release_then_pre(a, b)


def _nuget_parts(version: str) -> tuple[tuple[int, ...], list[str]] | None:
    match = _NUGET.match(version)
    if not match:
        return None
    numbers = [int(p) for p in match.group(1).split(".")]
    numbers += [0] * (4 - len(numbers))
    pre = match.group(2).lower().split(".") if match.group(2) else []
    return tuple(numbers), pre


def _nuget(left: str, right: str) -> int | None:
    a, b = _nuget_parts(left), _nuget_parts(right)
    return None if a is None or b is None else _release_then_pre(a, b)


def _openssl_key(version: str) -> tuple[tuple[int, ...], int, str, list[str]] | None:
    match = _OPENSSL.match(version)
    if not match:
        return None
    numbers = tuple(int(p) for p in match.group(1).split("."))
    letters = match.group(2)
    return numbers, len(letters), letters, (match.group(3) or "").lower().split(".")


def _openssl(left: str, right: str) -> int | None:
    """Numbers, then the legacy letter (none < a < z < za), then a 3.x pre-release."""
    a, b = _openssl_key(left), _openssl_key(right)
    if a is None or b is None:
        return None
    order = _sign(a[:3], b[:3])
    if order:
        return order
    pre_a, pre_b = [p for p in a[3] if p], [p for p in b[3] if p]
    if not pre_a or not pre_b:
        return _sign(not pre_a, not pre_b)
    return _prerelease_cmp(pre_a, pre_b)


def _gentoo(left: str, right: str) -> int | None:
    """Gentoo package versions (PMS): numbers, letter, suffixes, then -rN."""
    a, b = _GENTOO.match(left), _GENTOO.match(right)
    if a is None or b is None:
        return None
    return (
        number_parts_order(a.group(1).split("."), b.group(1).split("."))
        or _sign(a.group(2), b.group(2))
        or suffix_order(a.group(3), b.group(3), _GENTOO_SUFFIX, _GENTOO_RANK, _GENTOO_NONE)
        or _sign(int(a.group(4) or 0), int(b.group(4) or 0))
    )


def _conan_items(text: str) -> list[int | str]:
    items: list[int | str] = [int(p) if p.isdigit() else p for p in text.split(".")]
    while items and items[-1] == 0:
        items.pop()
    return items


def _conan_items_cmp(left: list[int | str], right: list[int | str]) -> int:
    """Item by item: numbers as numbers, anything mixed with a word as text."""
    for a, b in zip(left, right, strict=False):
        both_numbers = isinstance(a, int) and isinstance(b, int)
        order = _sign(a, b) if both_numbers else _sign(str(a), str(b))
        if order:
            return order
    return _sign(len(left), len(right))


def _conan(left: str, right: str) -> int | None:
    """Conan 2 versions: main items, then pre-release (below none), then build (above none)."""
    if not left or not right:
        return None
    (a_main, a_pre, a_build), (b_main, b_pre, b_build) = _conan_parts(left), _conan_parts(right)
    order = _conan_items_cmp(_conan_items(a_main), _conan_items(b_main))
    if order:
        return order
    if (a_pre is None) != (b_pre is None):
        return 1 if a_pre is None else -1
    if a_pre is not None and b_pre is not None:
        order = _conan_items_cmp(_conan_items(a_pre), _conan_items(b_pre))
        if order:
            return order
    if (a_build is None) != (b_build is None):
        return -1 if a_build is None else 1
    if a_build is None or b_build is None:
        return 0
    return _conan_items_cmp(_conan_items(a_build), _conan_items(b_build))


def _conan_parts(version: str) -> tuple[str, str | None, str | None]:
    head, plus, build = version.partition("+")
    main, dash, pre = head.partition("-")
    return main, (pre if dash else None), (build if plus else None)


def _instant(version: str) -> datetime | None:
    if not _RFC3339.match(version):
        return None
    try:
        return datetime.fromisoformat(version)
    except ValueError:
        return None


def _datetime(left: str, right: str) -> int | None:
    a, b = _instant(left), _instant(right)
    return None if a is None or b is None else _sign(a, b)


SCHEME_COMPARATORS: dict[str, Callable[[str, str], int | None]] = {
    "pypi": _pypi,
    "npm": _npm,
    "semver": _npm,
    "golang": _npm,
    "cargo": _npm,
    "nuget": _nuget,
    "maven": compare_maven,
    "openssl": _openssl,
    "gentoo": _gentoo,
    "conan": _conan,
    "alpm": compare_alpm,
    "apk": compare_apk,
    "rpm": compare_rpm,
    "deb": compare_deb,
    "gem": compare_gem,
    "datetime": _datetime,
    # not a vers scheme: a vendor's release numbering, chosen per record (matcher)
    LIFERAY: compare_liferay,
}


def canonical_in_scheme(scheme: str, version: str) -> str:
    """The spelling a scheme normalises to: NuGet pre-release labels are lower-case."""
    if scheme == "nuget":
        match = _NUGET.match(version)
        if match and match.group(2):
            build = f"+{match.group(3)}" if match.group(3) else ""
            return f"{match.group(1)}-{match.group(2).lower()}{build}"
    return version
