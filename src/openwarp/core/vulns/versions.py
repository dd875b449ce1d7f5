"""Vendor version comparison.

Vulnerability records describe appliance and operating-system releases in each
vendor's own notation: Cisco `15.2(4)M3`, Citrix `13.1-49.15`, PAN-OS `10.2.9-h1`,
Ivanti `22.7R2.3`, Windows `10.0.14393.5850`. Generic libraries either compare
these as strings (so `2.4.10 < 2.4.9`) or force them into semver and guess. A
wrong guess silently hides an exposure or raises a false alarm, so this
comparator answers `INCOMPARABLE` whenever the notation does not tell it the
order (two different Cisco release trains, a hotfix against a fourth number),
and the matcher turns that into "needs review" instead of a verdict.

See docs/adr/0201-vulnerability-matching.md for the rules in plain words.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

__all__ = [
    "Ordering",
    "compare_versions",
    "equality_key",
    "normalise_version",
    "split_update",
    "version_in_prefix",
]


class Ordering(Enum):
    """Outcome of comparing two vendor versions; INCOMPARABLE is a real answer."""

    LESS = -1
    EQUAL = 0
    GREATER = 1
    INCOMPARABLE = 2


# Words that mark a release *before* the plain number (1.0rc1 < 1.0), with their
# relative order. Single letters only count when digits follow (Python's 1.0b2);
# a bare trailing letter is a later patch letter (OpenSSL 1.1.1k, Cisco 12.1.1e).
_PRE_RANK = {
    "dev": 0,
    "snapshot": 0,
    "alpha": 1,
    "a": 1,
    "beta": 2,
    "b": 2,
    "ea": 2,
    "pre": 3,
    "preview": 3,
    "rc": 4,
    "cr": 4,
}
_SINGLE_PRE = frozenset({"a", "b"})
_TOKEN = re.compile(r"\d+|[a-z]+")
_CISCO_TRAIN = re.compile(r"^\d+\.\d+\(\d+[a-z]?\)([a-z]+)")
_LEADING_V = re.compile(r"^v(?=\d)")

# Token kinds
_NUM, _PRE, _WORD = 0, 1, 2
_Token = tuple[int, int | str, int]  # (kind, value, pre-rank)


def normalise_version(text: str) -> str:
    """Trim, lower-case and drop a leading `v`, which vendors add inconsistently."""
    cleaned = " ".join(text.split()).lower()
    return _LEADING_V.sub("", cleaned)


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[_Token, ...]:
    """Split into numbers and words, classifying each word once."""
    raw = [(m.group(), m.end()) for m in _TOKEN.finditer(text)]
    out: list[_Token] = []
    for index, (tok, end) in enumerate(raw):
        if tok.isdigit():
            out.append((_NUM, int(tok), 0))
            continue
        digit_follows = (
            index + 1 < len(raw)
            and raw[index + 1][0].isdigit()
            and end < len(text)
            and text[end].isdigit()
        )
        is_pre = tok in _PRE_RANK and (tok not in _SINGLE_PRE or digit_follows)
        out.append((_PRE if is_pre else _WORD, tok, _PRE_RANK.get(tok, 0)))
    return tuple(out)


def equality_key(version: str) -> tuple[object, ...] | None:
    """A hashable key such that equal keys mean `compare_versions(...) is EQUAL`; None for
    free text, which only compare_versions may judge. Lets a record's list of a
    thousand exact versions be searched with one dictionary look-up."""
    tokens = _tokens(normalise_version(version))
    if not tokens or tokens[0][0] != _NUM:
        return None
    trimmed = list(tokens)
    while trimmed and trimmed[-1][0] == _NUM and trimmed[-1][1] == 0:
        trimmed.pop()
    return tuple(trimmed)


def _cisco_train(text: str) -> str | None:
    match = _CISCO_TRAIN.match(text)
    return match.group(1) if match else None


def compare_versions(left: str, right: str) -> Ordering:
    """Order two vendor version strings, or say honestly that they cannot be ordered.

    Numbers compare as numbers, missing trailing parts count as zero
    (`153.0 == 153.0.0`), pre-release words sort before the release and other
    words (hotfix `h1`, Ivanti `r2`, patch letters) after it. Two different words
    in the same place (Cisco trains `M` and `E`) cannot be ordered.
    """
    a, b = normalise_version(left), normalise_version(right)
    if a == b:
        return Ordering.EQUAL
    if not a or not b:
        return Ordering.INCOMPARABLE
    train_a, train_b = _cisco_train(a), _cisco_train(b)
    if train_a is not None and train_b is not None and train_a != train_b:
        return Ordering.INCOMPARABLE
    return _compare_tokens(_tokens(a), _tokens(b))


def _compare_tokens(ta: tuple[_Token, ...], tb: tuple[_Token, ...]) -> Ordering:
    if not ta or not tb:
        return Ordering.INCOMPARABLE
    if ta[0][0] != _NUM or tb[0][0] != _NUM:
        # Free text such as "Modem LR12A" or "All": no ordering can be trusted.
        return Ordering.EQUAL if ta == tb else Ordering.INCOMPARABLE
    for index in range(max(len(ta), len(tb))):
        x = ta[index] if index < len(ta) else None
        y = tb[index] if index < len(tb) else None
        step = _compare_one(x, y)
        if step is not Ordering.EQUAL:
            return step
    return Ordering.EQUAL


def _compare_one(x: _Token | None, y: _Token | None) -> Ordering:
    """Compare one position; `None` is a missing part (shorter version)."""
    if x is None and y is None:
        return Ordering.EQUAL
    if x is None:
        return _flip(_compare_missing(y))  # type: ignore[arg-type]
    if y is None:
        return _compare_missing(x)
    kx, vx, rx = x
    ky, vy, ry = y
    if kx == _NUM and ky == _NUM:
        return _sign(int(vx) - int(vy))
    if kx == _PRE and ky == _PRE:
        return _sign(rx - ry) if rx != ry else Ordering.EQUAL
    if kx == _PRE:
        return Ordering.LESS  # rc < anything that is not a pre-release
    if ky == _PRE:
        return Ordering.GREATER
    if kx == _WORD and ky == _WORD:
        if vx == vy:
            return Ordering.EQUAL
        if len(str(vx)) == 1 and len(str(vy)) == 1:
            return Ordering.LESS if str(vx) < str(vy) else Ordering.GREATER
    return Ordering.INCOMPARABLE


def _compare_missing(present: _Token) -> Ordering:
    """How a present part compares with a missing one at the same position."""
    kind, value, _rank = present
    if kind == _NUM:
        return Ordering.EQUAL if value == 0 else Ordering.GREATER
    if kind == _PRE:
        return Ordering.LESS
    return Ordering.GREATER


def _sign(delta: int) -> Ordering:
    if delta < 0:
        return Ordering.LESS
    return Ordering.GREATER if delta > 0 else Ordering.EQUAL


def _flip(order: Ordering) -> Ordering:
    if order is Ordering.LESS:
        return Ordering.GREATER
    if order is Ordering.GREATER:
        return Ordering.LESS
    return order


_UPDATE = re.compile(r"^(.*\d)[-_ .]?((?:h|hf|hotfix|sp|p|patch|update|u)\d+)$", re.IGNORECASE)


def split_update(version: str) -> tuple[str, str | None]:
    """Split a hotfix or service-pack suffix off, as NVD stores it in the CPE update field.

    `10.2.9-h1` becomes (`10.2.9`, `h1`), so a CPE such as
    `pan-os:10.2.9:h1` and an inventory row typed `10.2.9-h1` are the same release.
    """
    cleaned = normalise_version(version)
    match = _UPDATE.match(cleaned)
    if not match:
        return cleaned, None
    return match.group(1), match.group(2).lower()


def version_in_prefix(version: str, prefix: str) -> Ordering:
    """Compare `version` with a wildcard bound such as `6.10.*` (any 6.10.x).

    Returns EQUAL when the version lies inside the prefix, else its order
    relative to the whole family, or INCOMPARABLE.
    """
    head = normalise_version(prefix).rstrip("*x").rstrip(".")
    if not head:
        return Ordering.EQUAL
    parts = _tokens(normalise_version(version))
    wanted = _tokens(head)
    if len(parts) < len(wanted):
        return compare_versions(version, head)
    return _compare_tokens(parts[: len(wanted)], wanted)
