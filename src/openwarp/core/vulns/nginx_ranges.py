"""Ranges as nginx's security advisories write them (`0.7.52-1.5.11`, `1.5.11+, 1.4.7+`).

An advisory lists comma-separated items: `a-b` is a to b, both included; a bare
version is that release; `a+` is "a and later". nginx numbers its branches so
that an even minor (1.4, 0.8) is a stable branch, which only gets fixes inside
itself, and an odd minor (1.5) is mainline, which later branches grow out of. So
`1.4.7+` stays below 1.5.0, while `1.5.11+` has no upper end; the test data reads
`0.8.40+` as below 0.9.0 and `1.5.0+, 1.4.1+` as 1.4.1 up to 1.5.0 and from 1.5.0
on, which is this rule.
"""

from __future__ import annotations

import re

from openwarp.core.errors import InvalidInput

__all__ = ["nginx_pairs"]

_VERSION = r"\d+(?:\.\d+)*"
_SPAN = re.compile(rf"^({_VERSION})\s*-\s*({_VERSION})$")
_LATER = re.compile(rf"^({_VERSION})\s*\+$")
_ONE = re.compile(rf"^{_VERSION}$")
Pair = tuple[str, str]


def _fail(native: str, why: str) -> InvalidInput:
    return InvalidInput(f"nginx range {native!r}: {why}", field="native_range")


def _and_later(version: str) -> list[Pair]:
    """`a+`: on a stable (even minor) branch, up to the next branch; else open."""
    numbers = [int(p) for p in version.split(".")]
    if len(numbers) < 2 or numbers[1] % 2:
        return [(">=", version)]
    return [(">=", version), ("<", f"{numbers[0]}.{numbers[1] + 1}.0")]


def _first_numbers(item: str) -> tuple[int, ...]:
    head = re.match(_VERSION, item)
    return tuple(int(p) for p in head.group().split(".")) if head else ()


def nginx_pairs(native: str) -> list[Pair]:
    """The (operator, version) pairs of an nginx advisory's list of versions.

    Items are read lowest first, so a branch's end comes before the next
    branch's start when both are the same version (`<1.5.0|>=1.5.0`).
    """
    pairs: list[Pair] = []
    for item in sorted((raw.strip() for raw in native.split(",")), key=_first_numbers):
        span, later = _SPAN.match(item), _LATER.match(item)
        if span:
            pairs += [(">=", span.group(1)), ("<=", span.group(2))]
        elif later:
            pairs += _and_later(later.group(1))
        elif _ONE.match(item):
            pairs.append(("=", item))
        else:
            raise _fail(native, f"{item!r} is not a version, a-b or a+")
    return pairs
