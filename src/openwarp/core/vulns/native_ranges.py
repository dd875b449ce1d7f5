"""Ranges written in an ecosystem's own syntax, turned into canonical `vers:` strings.

Advisories quote ranges as the package manager writes them: PEP 440 specifiers
(`>= 1.0, !=1.3`), NuGet intervals (`[1.0.0, 2.0.0)`), OpenSSL's list of
affected releases (`3.0.0, 1.0.1b`), npm's `^1.2.3 || ~2.0 || 3.x`
(`npm_ranges.py`), RubyGems requirements (`~> 2.0.8, != 2.0.9`,
`gem_ranges.py`), nginx advisories' `1.5.10-1.5.11, 1.4.7+` (`nginx_ranges.py`)
and Conan's `>1 <2 || ^3` (`conan_ranges.py`). `vers_from_native` reads those and writes
the canonical `vers:` form (constraints sorted in the scheme's own order), so
the same containment code judges them. Syntax we do not read (PEP 440 `~=` and
wildcards, NuGet ranges with two open ends) is refused with the reason, not
guessed.
"""

from __future__ import annotations

import re
from functools import cmp_to_key

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.conan_ranges import conan_pairs
from openwarp.core.vulns.gem_ranges import gem_pairs
from openwarp.core.vulns.nginx_ranges import nginx_pairs
from openwarp.core.vulns.npm_ranges import npm_pairs
from openwarp.core.vulns.vers import compare_in_scheme, parse_vers
from openwarp.core.vulns.versions import Ordering

__all__ = ["vers_from_native"]

_PEP440_OPS = ("===", "==", "!=", "<=", ">=", "<", ">")
_NUGET = re.compile(r"^([\[(])\s*([^,\s]*)\s*(?:(,)\s*([^,\s]*)\s*)?([\])])$")


def _fail(scheme: str, native: str, why: str) -> InvalidInput:
    return InvalidInput(f"{scheme} range {native!r}: {why}", field="native_range")


def _pypi(native: str) -> list[tuple[str, str]]:
    pairs = []
    for item in native.split(","):
        text = "".join(item.split())
        op = next((o for o in _PEP440_OPS if text.startswith(o)), None)
        if op is None or op == "===" or text.startswith("~="):
            raise _fail("pypi", native, f"{item.strip()!r} is not a supported specifier")
        version = text[len(op) :]
        if not version or "*" in version:
            raise _fail("pypi", native, f"{item.strip()!r} has no exact version")
        pairs.append(("=" if op == "==" else op, version))
    return pairs


def _nuget(native: str) -> list[tuple[str, str]]:
    text = native.strip()
    if text and text[0] not in "[(":
        return [(">=", text)]  # a bare NuGet version is a minimum
    match = _NUGET.match(text)
    if match is None:
        raise _fail("nuget", native, "expected an interval such as [1.0, 2.0)")
    opening, low, comma, high, closing = match.groups()
    if not comma:
        if opening != "[" or closing != "]" or not low:
            raise _fail("nuget", native, "a single version must be written [1.0]")
        return [("=", low)]
    if not low and not high:
        raise _fail("nuget", native, "an interval needs at least one bound")
    pairs = []
    if low:
        pairs.append((">=" if opening == "[" else ">", low))
    if high:
        pairs.append(("<=" if closing == "]" else "<", high))
    return pairs


def _npm(native: str) -> list[tuple[str, str]]:
    pairs = npm_pairs(native)
    return [("*", "")] if pairs is None else pairs


def _openssl(native: str) -> list[tuple[str, str]]:
    versions = [v.strip() for v in native.split(",")]
    if not all(versions):
        raise _fail("openssl", native, "an empty version in the list")
    return [("=", v) for v in versions]


_READERS = {
    "pypi": _pypi,
    "nuget": _nuget,
    "openssl": _openssl,
    "npm": _npm,
    "gem": gem_pairs,
    "nginx": nginx_pairs,
    "conan": conan_pairs,
}
# Conan's `*` is written `>=0.0.0` (as the vers-spec data does), by its reader.
_STAR_READ_BY_READER = frozenset({"conan"})


def vers_from_native(scheme: str, native: str) -> str:
    """The canonical `vers:` string for a range in the scheme's native syntax."""
    reader = _READERS.get(scheme)
    if reader is None:
        raise InvalidInput(f"no native range syntax is read for {scheme!r}", field="scheme")
    if native.strip() == "*" and scheme not in _STAR_READ_BY_READER:
        return f"vers:{scheme}/*"
    pairs = reader(native)
    if pairs == [("*", "")]:
        return f"vers:{scheme}/*"

    def order(a: tuple[str, str], b: tuple[str, str]) -> int:
        found = compare_in_scheme(scheme, a[1], b[1])
        if found is Ordering.INCOMPARABLE:
            raise _fail(scheme, native, f"{a[1]!r} and {b[1]!r} are not {scheme} versions")
        return found.value

    pairs.sort(key=cmp_to_key(order))
    text = f"vers:{scheme}/" + "|".join(("" if op == "=" else op) + v for op, v in pairs)
    parse_vers(text)  # the result must itself be canonical
    return text
