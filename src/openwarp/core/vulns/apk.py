"""Alpine package versions (`vers:apk`), ordered by Alpine's documented rules.

A version is `N{.N}[letter]{_suffix[N]}[~hash][-rN]`:

- numbers compare part by part; the first as an integer, a later part that begins
  with `0` as a decimal fraction (so `4.09` < `4.5` and `2.04` < `2.4`), and a
  version with more parts is later (`1.2` < `1.2.1`);
- then the single letter (`1.7` < `1.7b`);
- then the suffixes, each ranked `_alpha` < `_beta` < `_pre` < `_rc` < (none) <
  `_cvs` < `_svn` < `_git` < `_hg` < `_p`, with its number (`_p9` < `_p10`);
- then the package release `-rN` (missing means `-r0`).

A `~hash` (a source commit) cannot be ordered against another hash: two versions
that differ only there answer None. Anything else that is not of this shape is
not an Alpine version and answers None too, so the caller says "cannot compare".
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["compare_apk", "number_parts_order", "suffix_order"]

_SUFFIXES = ("alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p")
_VERSION = re.compile(
    r"^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:" + "|".join(_SUFFIXES) + r")\d*)*)"
    r"(?:~([0-9a-f]+))?(?:-r(\d+))?$"
)
_SUFFIX = re.compile(r"_(" + "|".join(_SUFFIXES) + r")(\d*)")
# A release without a suffix sits between `_rc` and `_cvs`.
_RANK = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3, "cvs": 5, "svn": 6, "git": 7, "hg": 8, "p": 9}
_NONE = 4


def _sign(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def number_parts_order(left: list[str], right: list[str]) -> int:
    """Dotted numbers as Alpine and Gentoo order them: the first part as an
    integer, a later part with a leading 0 as a decimal fraction, more parts later."""
    order = _sign(int(left[0]), int(right[0]))
    for a, b in zip(left[1:], right[1:], strict=False):
        if order:
            return order
        if a.startswith("0") or b.startswith("0"):
            # a decimal fraction: compare the digits as text, trailing zeros aside
            order = _sign(a.rstrip("0"), b.rstrip("0"))
        else:
            order = _sign(int(a), int(b))
    return order or _sign(len(left), len(right))


def suffix_order(
    left: str, right: str, pattern: re.Pattern[str], rank: dict[str, int], none: int
) -> int:
    """`_name[N]` suffixes in turn, ranked by `rank`; a missing one ranks `none`."""
    a = [(rank[name], int(n or 0)) for name, n in pattern.findall(left)]
    b = [(rank[name], int(n or 0)) for name, n in pattern.findall(right)]
    width = max(len(a), len(b))
    a += [(none, 0)] * (width - len(a))
    b += [(none, 0)] * (width - len(b))
    return _sign(a, b)


def compare_apk(left: str, right: str) -> int | None:
    """-1, 0 or 1 as `left` is before, equal to or after `right`; None if unreadable."""
    a, b = _VERSION.match(left), _VERSION.match(right)
    if a is None or b is None:
        return None
    order = (
        number_parts_order(a.group(1).split("."), b.group(1).split("."))
        or _sign(a.group(2), b.group(2))
        or suffix_order(a.group(3), b.group(3), _SUFFIX, _RANK, _NONE)
    )
    if order:
        return order
    if a.group(4) != b.group(4):
        return None
    return _sign(int(a.group(5) or 0), int(b.group(5) or 0))
