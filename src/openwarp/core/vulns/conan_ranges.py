"""Conan's version-range expressions (`[>1 <2.0 || ^3.2]`, `~2.5`, `*`).

Inside the brackets, `||` separates alternatives and spaces separate conditions
that must all hold. `~2.5.1` keeps the first two parts (at least 2.5.1, below
2.6), `~1` the first one; `^1.2` keeps everything up to the first non-zero part
(below 2; `^0.1.2` below 0.2); `*` is every version, written `>=0.0.0` as the
vers-spec data does. A trailing `-` on a version and the `include_prerelease`
option only tell Conan's resolver that pre-releases may be picked; they do not
move a bound, so they are read and dropped (a `vers:` range has no such
preference). An empty expression is refused: it names no version.
"""

from __future__ import annotations

import re

from openwarp.core.errors import InvalidInput

__all__ = ["conan_pairs"]

_TOKEN = re.compile(r"^(>=|<=|>|<|=|~|\^)?([0-9A-Za-z*][0-9A-Za-z.+_-]*)$")
_OPTIONS = frozenset({"include_prerelease", "loose"})
Pair = tuple[str, str]


def _fail(native: str, why: str) -> InvalidInput:
    return InvalidInput(f"conan range {native!r}: {why}", field="native_range")


def _upper(version: str, keep: int, native: str) -> str:
    """The first version past the line of the first `keep` parts (2.5.1, 2 -> 2.6)."""
    parts = version.split(".")[:keep]
    if not all(p.isdigit() for p in parts):
        raise _fail(native, f"{version!r} has no numeric parts to keep")
    numbers = [int(p) for p in parts]
    numbers[-1] += 1
    return ".".join(map(str, numbers))


def _condition(token: str, native: str) -> list[Pair]:
    match = _TOKEN.match(token)
    if match is None:
        raise _fail(native, f"cannot read {token!r}")
    op, version = match.group(1) or "=", match.group(2).removesuffix("-")
    if version == "*":
        if op != "=":
            raise _fail(native, f"cannot read {token!r}")
        return [(">=", "0.0.0")]
    if "*" in version or not version:
        raise _fail(native, f"cannot read {token!r}")
    if op == "~":
        keep = 2 if "." in version else 1
        return [(">=", version), ("<", _upper(version, keep, native))]
    if op == "^":
        parts = version.split(".")
        keep = next((i + 1 for i, p in enumerate(parts) if p.strip("0")), len(parts))
        return [(">=", version), ("<", _upper(version, keep, native))]
    return [(op, version)]


def _check_options(options: str, native: str) -> None:
    for option in options.split(","):
        name = option.split("=", 1)[0].strip()
        if name not in _OPTIONS:
            raise _fail(native, f"unknown option {option.strip()!r}")


def conan_pairs(native: str) -> list[Pair]:
    """The (operator, version) pairs of a Conan range, brackets optional."""
    text = native.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    expression, comma, options = text.partition(",")
    if comma:
        _check_options(options, native)
    if not expression.strip():
        raise _fail(native, "an empty range names no version")
    pairs: list[Pair] = []
    for alternative in expression.split("||"):
        tokens = alternative.split()
        if not tokens:
            raise _fail(native, "an empty alternative")
        for token in tokens:
            pairs += _condition(token, native)
    return pairs
