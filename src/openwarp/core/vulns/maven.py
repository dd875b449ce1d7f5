"""Maven version ordering, as Maven's own resolver orders artifact versions.

A Maven version is read as nested lists: `.` separates items of one list, while
`-` and a change between digits and letters open a nested list, so `1.0-alpha-1`
and `1a1` are both `[1, [alpha, [1]]]` once trailing zeros and release words
(`ga`, `final`, `release`) are dropped. Numbers rank above qualifiers and nested
lists; known qualifiers rank `alpha` < `beta` < `milestone` < `rc` (= `cr`) <
`snapshot` < release < `sp`, and any other word ranks after `sp`, alphabetically.
"""

from __future__ import annotations

from typing import Any, Union

__all__ = ["compare_maven", "maven_items"]

Item = Union[int, str, "list[Item]"]

_QUALIFIERS = ("alpha", "beta", "milestone", "rc", "snapshot", "", "sp")
_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_SHORT = {"a": "alpha", "b": "beta", "m": "milestone"}


def _qualifier(word: str, followed_by_digit: bool) -> str:
    if followed_by_digit and word in _SHORT:
        return _SHORT[word]
    return _ALIASES.get(word, word)


def _is_null(item: Item) -> bool:
    return item == 0 or item == "" or item == []


def _normalise(items: list[Item]) -> None:
    """Drop trailing null items (0, release, empty lists), looking past nested lists."""
    index = len(items) - 1
    while index >= 0:
        item = items[index]
        if _is_null(item):
            del items[index]
        elif not isinstance(item, list):
            break
        index -= 1


def maven_items(version: str) -> list[Item]:
    """Parse a Maven version into its nested item lists (lower-cased)."""
    text = version.lower()
    root: list[Item] = []
    current, stack = root, [root]
    token, digits = "", False

    def close(followed_by_digit: bool) -> None:
        if not token:
            current.append(0)
        elif digits:
            current.append(int(token))
        else:
            current.append(_qualifier(token, followed_by_digit))

    def open_list() -> list[Item]:
        nested: list[Item] = []
        current.append(nested)
        stack.append(nested)
        return nested

    for char in text:
        if char in ".-":
            close(False)
            token, digits = "", False
            if char == "-":
                current = open_list()
            continue
        is_digit = char.isdigit()
        if token and is_digit != digits:
            close(is_digit)
            token = ""
            current = open_list()
        token += char
        digits = is_digit
    if token:
        close(False)
    for items in reversed(stack):
        _normalise(items)
    return root


def _qualifier_key(word: str) -> str:
    if word in _QUALIFIERS:
        return str(_QUALIFIERS.index(word))
    return f"{len(_QUALIFIERS)}-{word}"


def _sign(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def _compare_item(left: Item | None, right: Item | None) -> int:
    """Compare two items; None stands for a missing item (the shorter list)."""
    if left is None:
        return 0 if right is None else -_compare_item(right, None)
    if isinstance(left, int):
        if right is None:
            return 0 if left == 0 else 1
        return _sign(left, right) if isinstance(right, int) else 1
    if isinstance(left, str):
        if right is None:
            return _sign(_qualifier_key(left), _qualifier_key(""))
        if isinstance(right, str):
            return _sign(_qualifier_key(left), _qualifier_key(right))
        return -1
    if right is None:
        return _compare_item(left[0], None) if left else 0
    if isinstance(right, list):
        for index in range(max(len(left), len(right))):
            a = left[index] if index < len(left) else None
            b = right[index] if index < len(right) else None
            order = _compare_item(a, b)
            if order:
                return order
        return 0
    return -1 if isinstance(right, int) else 1


def compare_maven(left: str, right: str) -> int | None:
    """-1, 0 or 1 in Maven order; None for an empty version."""
    if not left or not right:
        return None
    return _compare_item(maven_items(left), maven_items(right))
