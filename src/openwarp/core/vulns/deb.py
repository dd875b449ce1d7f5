"""Debian package versions (`vers:deb`), ordered by Debian Policy (section 5.6.12).

A version is `[epoch:]upstream_version[-debian_revision]`: the epoch is a
number (missing means 0) and decides first; the revision is everything after
the last hyphen (missing means `0`). The upstream version and the revision are
compared the same way, alternating a run of non-digits and a run of digits from
the left: digit runs as numbers (an empty run is 0); non-digit runs character
by character with letters before every other character and `~` before
everything, even the end of the run, so `1.0~rc1` < `1.0` < `1.0+b1` and
`1.0~~` < `1.0~~a` < `1.0~` < `1.0`. Anything that is not a Debian version
answers None, so the caller says "cannot compare".
"""

from __future__ import annotations

import re
from itertools import zip_longest
from typing import Any

__all__ = ["compare_deb"]

_VERSION = re.compile(r"^(?:(\d+):)?(\d[A-Za-z0-9.+~-]*?)(?:-([A-Za-z0-9.+~]+))?$")
_RUN = re.compile(r"(\D*)(\d*)")


def _sign(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def _weight(char: str) -> int:
    """Policy's order of one character: `~` first, then the end, letters, the rest."""
    if char == "~":
        return -1
    if char == "":
        return 0
    return ord(char) if char.isalpha() else ord(char) + 256


def _text_cmp(a: str, b: str) -> int:
    for x, y in zip_longest(a, b, fillvalue=""):
        order = _sign(_weight(x), _weight(y))
        if order:
            return order
    return 0


def _part_cmp(a: str, b: str) -> int:
    """Compare an upstream version or a revision by Policy's alternating runs."""
    runs_a, runs_b = _RUN.findall(a), _RUN.findall(b)
    for (text_a, digits_a), (text_b, digits_b) in zip_longest(runs_a, runs_b, fillvalue=("", "")):
        order = _text_cmp(text_a, text_b) or _sign(int(digits_a or 0), int(digits_b or 0))
        if order:
            return order
    return 0


def compare_deb(left: str, right: str) -> int | None:
    """-1, 0 or 1 as `left` is older than, the same as or newer than `right`."""
    a, b = _VERSION.match(left.strip()), _VERSION.match(right.strip())
    if a is None or b is None:
        return None
    return (
        _sign(int(a.group(1) or 0), int(b.group(1) or 0))
        or _part_cmp(a.group(2), b.group(2))
        or _part_cmp(a.group(3) or "0", b.group(3) or "0")
    )
