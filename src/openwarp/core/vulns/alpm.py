"""Arch Linux package versions (`vers:alpm`), ordered as pacman's vercmp orders them.

A version is `[epoch:]version[-release]`. Each part is read as runs of digits and
runs of letters, separated by anything else: a digit run beats a letter run,
digit runs compare as numbers, letter runs as text, so `1.0a` < `1.0alpha` <
`1.0b` < `1.0rc` < `1.0` (a trailing word marks a pre-release) while `1.5` <
`1.5.a` (a word after a separator is a later release). The release is compared
only when both versions carry one, so `1.5` equals `1.5-1`.
"""

from __future__ import annotations

__all__ = ["compare_alpm"]


def _skip_separators(text: str, index: int) -> int:
    while index < len(text) and not text[index].isalnum():
        index += 1
    return index


def _run(text: str, index: int, digits: bool) -> int:
    check = str.isdigit if digits else str.isalpha
    while index < len(text) and check(text[index]):
        index += 1
    return index


def _segment_cmp(left: str, right: str, digits: bool) -> int:
    if digits:
        left, right = left.lstrip("0"), right.lstrip("0")
        if len(left) != len(right):
            return -1 if len(left) < len(right) else 1
    return (left > right) - (left < right)


def _part_cmp(left: str, right: str) -> int:
    """Compare one part (epoch, version or release) run by run."""
    if left == right:
        return 0
    i = j = 0
    while i < len(left) and j < len(right):
        start_i, start_j = i, j
        i, j = _skip_separators(left, i), _skip_separators(right, j)
        if i >= len(left) or j >= len(right):
            break
        if i - start_i != j - start_j:
            return -1 if i - start_i < j - start_j else 1
        digits = left[i].isdigit()
        end_i, end_j = _run(left, i, digits), _run(right, j, digits)
        if end_j == j:  # a digit run beats a letter run
            return 1 if digits else -1
        order = _segment_cmp(left[i:end_i], right[j:end_j], digits)
        if order:
            return order
        i, j = end_i, end_j
    if i >= len(left) and j >= len(right):
        return 0
    if (i >= len(left) and not right[j].isalpha()) or (i < len(left) and left[i].isalpha()):
        return -1
    return 1


def _split(version: str) -> tuple[str, str, str | None]:
    epoch, colon, rest = version.partition(":")
    if not colon or not epoch.isdigit():
        epoch, rest = "0", version
    head, dash, release = rest.rpartition("-")
    return (epoch, head, release) if dash else (epoch, rest, None)


def compare_alpm(left: str, right: str) -> int | None:
    """-1, 0 or 1 in pacman order; None for an empty version."""
    if not left or not right:
        return None
    a, b = _split(left), _split(right)
    order = _part_cmp(a[0], b[0]) or _part_cmp(a[1], b[1])
    if order or a[2] is None or b[2] is None:
        return order
    return _part_cmp(a[2], b[2])
