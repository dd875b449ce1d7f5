"""RubyGems versions and requirements (`~> 2.0.8`, `>= 1.2, < 2`, `!= 1.5`).

RubyGems splits a version into numbers and letter runs (`1.0.0.rc1` is 1, 0, 0,
"rc", 1); a letter run marks a pre-release, which sorts before any number in the
same place, and trailing zeros do not count (`1.0` equals `1`). A requirement is a
comma-separated list that must all hold; a bare version means `=`. The pessimistic
`~> 2.0.8` means at least 2.0.8 and below 2.1: drop any pre-release part and the
last number, then raise the new last number (`~> 2` is below 3). The list is
intersected here into one interval, so the `vers:` range lists it once.
"""

from __future__ import annotations

import re
from itertools import takewhile, zip_longest

from openwarp.core.errors import InvalidInput

__all__ = ["compare_gem", "gem_pairs"]

_VERSION = re.compile(r"^[0-9]+(?:\.[0-9A-Za-z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$")
_ITEM = re.compile(r"^(~>|>=|<=|!=|=|>|<)?\s*(\S+)$")
_PIECE = re.compile(r"[0-9]+|[A-Za-z]+")
Pair = tuple[str, str]


def _fail(native: str, why: str) -> InvalidInput:
    return InvalidInput(f"gem range {native!r}: {why}", field="native_range")


def _segments(version: str) -> list[int | str]:
    """Numbers and letter runs, trailing zeros dropped from the release and the
    pre-release part alike (so `1.0.a` and `1.a` are the same version); a `-`
    reads as `.pre.`, as RubyGems reads it."""
    text = version.replace("-", ".pre.")
    pieces: list[int | str] = [int(p) if p.isdigit() else p for p in _PIECE.findall(text)]
    cut = next((i for i, p in enumerate(pieces) if isinstance(p, str)), len(pieces))
    release, pre = pieces[:cut], pieces[cut:]
    while release and release[-1] == 0:
        release.pop()
    while pre and pre[-1] == 0:
        pre.pop()
    return release + pre


def compare_gem(left: str, right: str) -> int | None:
    """-1, 0 or 1 in RubyGems order; None when either is not a RubyGems version."""
    if not _VERSION.match(left.strip()) or not _VERSION.match(right.strip()):
        return None
    for a, b in zip_longest(_segments(left.strip()), _segments(right.strip()), fillvalue=0):
        if a == b:
            continue
        if isinstance(a, str) != isinstance(b, str):
            return -1 if isinstance(a, str) else 1  # a pre-release part sorts first
        return -1 if a < b else 1  # type: ignore[operator]  # both numbers or both words
    return 0


def _bump(version: str) -> str:
    """The first version past a pessimistic `~>` (2.0.8 -> 2.1, 2 -> 3)."""
    head = [int(p) for p in takewhile(str.isdigit, _PIECE.findall(version))]
    if len(head) > 1:
        head.pop()
    head[-1] += 1
    return ".".join(map(str, head))


def _conditions(native: str) -> list[Pair]:
    out: list[Pair] = []
    for item in native.split(","):
        match = _ITEM.match(item.strip())
        if match is None or not _VERSION.match(match.group(2)):
            raise _fail(native, f"{item.strip()!r} is not a RubyGems requirement")
        op, version = match.group(1) or "=", match.group(2)
        if op == "~>":
            out += [(">=", version), ("<", _bump(version))]
        else:
            out.append((op, version))
    return out


def _tighter(pick: int, current: Pair | None, new: Pair, strict: str) -> Pair:
    """Keep the tighter of two bounds on the same side (pick 1: the higher low)."""
    if current is None:
        return new
    order = compare_gem(new[1], current[1]) or 0
    if order == pick or (order == 0 and new[0] == strict):
        return new
    return current


def _holds(op: str, version: str, bound: str) -> bool:
    order = compare_gem(version, bound) or 0
    return {
        ">=": order >= 0,
        ">": order > 0,
        "<=": order <= 0,
        "<": order < 0,
        "=": order == 0,
        "!=": order != 0,
    }[op]


def gem_pairs(native: str) -> list[Pair]:
    """The (operator, version) pairs of the one interval a requirement list allows."""
    conditions = _conditions(native)
    low: Pair | None = None
    high: Pair | None = None
    for op, version in conditions:
        if op in (">=", ">"):
            low = _tighter(1, low, (op, version), ">")
        elif op in ("<=", "<"):
            high = _tighter(-1, high, (op, version), "<")
    pins = [v for op, v in conditions if op == "="]
    if pins:
        pin = pins[0]
        if not all(_holds(op, pin, v) for op, v in conditions):
            raise _fail(native, "no version satisfies every requirement")
        return [("=", pin)]
    if low and high and not (_holds(low[0], high[1], low[1]) and _holds(high[0], low[1], high[1])):
        raise _fail(native, "no version satisfies every requirement")
    bounds = [b for b in (low, high) if b is not None]
    excluded = [
        ("!=", v) for op, v in conditions if op == "!=" and all(_holds(o, v, b) for o, b in bounds)
    ]
    return ([low] if low else []) + excluded + ([high] if high else [])
