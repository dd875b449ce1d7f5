"""npm's own range syntax (`^1.2.3`, `~1.2`, `1.2.x`, `1.0.0 - 2.0.0`, `a || b`) as
the (operator, version) pairs of a `vers:npm` range.

npm (node-semver) reads `^` as "up to the next change of the first non-zero
part", `~` as "up to the next minor" (next major when only a major is given),
`x`/`*` parts as the whole line, and a hyphen range as both ends included.
Partial versions in comparators are padded with zeros (`>= 1.1` is `>=1.1.0`),
and a leading `v` is dropped. A `vers:` range lists constraints, not groups, so
the alternatives of `||` are written side by side in version order, as the
vers-spec test data does. Anything else is refused with the reason.
"""

from __future__ import annotations

import re

from openwarp.core.errors import InvalidInput

__all__ = ["npm_pairs"]

_PART = r"(?:0|[1-9]\d*|[xX*])"
_VERSION = re.compile(
    rf"^v?(?P<major>{_PART})(?:\.(?P<minor>{_PART}))?(?:\.(?P<patch>{_PART}))?"
    r"(?P<rest>-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)
_TOKEN = re.compile(r"(\^|~>?|<=|>=|<|>|=)?\s*([^\s<>=^~]+)")
_HYPHEN = re.compile(r"^\s*(\S+)\s+-\s+(\S+)\s*$")
Pair = tuple[str, str]


def _fail(native: str, why: str) -> InvalidInput:
    return InvalidInput(f"npm range {native!r}: {why}", field="native_range")


def _parts(text: str, native: str) -> tuple[list[int], str]:
    """The given numeric parts (stopping at the first x or missing one) and the
    pre-release suffix."""
    match = _VERSION.match(text)
    if match is None:
        raise _fail(native, f"{text!r} is not a version")
    numbers: list[int] = []
    for name in ("major", "minor", "patch"):
        value = match.group(name)
        if value is None or value in "xX*":
            break
        numbers.append(int(value))
    rest = match.group("rest") or ""
    if rest and len(numbers) < 3:
        raise _fail(native, f"{text!r} has a pre-release on a partial version")
    return numbers, rest


def _full(numbers: list[int], rest: str = "") -> str:
    padded = [*numbers, 0, 0, 0][:3]
    return ".".join(map(str, padded)) + rest


def _next(numbers: list[int], depth: int) -> str:
    """The first version after the line of the first `depth` parts (1.2 -> 1.3.0)."""
    head = numbers[:depth]
    head[-1] += 1
    return _full(head)


def _caret(numbers: list[int], rest: str) -> list[Pair]:
    """Up to the next change of the first non-zero part given (^0.2.3 < 0.3.0)."""
    if not numbers:
        return []
    padded = [*numbers, 0, 0][:3]
    depth = next((i + 1 for i, n in enumerate(numbers) if n), len(numbers))
    return [(">=", _full(numbers, rest)), ("<", _next(padded, depth))]


def _tilde(numbers: list[int], rest: str) -> list[Pair]:
    """Up to the next minor (~1.2.3 < 1.3.0), the next major when only one is given."""
    if not numbers:
        return []
    depth = 1 if len(numbers) == 1 else 2
    return [(">=", _full(numbers, rest)), ("<", _next(numbers, depth))]


def _alternative(text: str, native: str) -> list[Pair] | None:
    """The pairs of one `||` alternative; None means every version."""
    hyphen = _HYPHEN.match(text)
    if hyphen:
        low, low_rest = _parts(hyphen.group(1), native)
        high, high_rest = _parts(hyphen.group(2), native)
        upper = ("<=", _full(high, high_rest)) if len(high) == 3 else ("<", _next(high, len(high)))
        return [(">=", _full(low, low_rest)), upper]
    pairs: list[Pair] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if text[position : match.start()].strip():
            raise _fail(native, f"cannot read {text[position:match.start()].strip()!r}")
        position = match.end()
        op, version = match.group(1) or "", match.group(2)
        numbers, rest = _parts(version, native)
        if op == "^":
            found = _caret(numbers, rest)
        elif op.startswith("~"):
            found = _tilde(numbers, rest)
        else:
            found = _xrange(op, numbers, rest, version)
        if not found and len(text.split()) == 1:
            return None
        pairs.extend(found)
    if text[position:].strip():
        raise _fail(native, f"cannot read {text[position:].strip()!r}")
    if not pairs:
        raise _fail(native, "an empty alternative")
    return pairs


def _xrange(op: str, numbers: list[int], rest: str, version: str) -> list[Pair]:
    """A comparator; an x-range (`1.2.x`, `>= 2.2.x`) stands for its whole line, and
    a bare partial version (`2.1`) for that version padded with zeros."""
    if not numbers:
        return []
    if any(c in version for c in "xX*"):
        line = (">=", _full(numbers)), ("<", _next(numbers, len(numbers)))
        if op in ("", "=", ">="):
            return list(line)
        if op == "<":
            return [("<", _full(numbers))]
        if op == ">":
            return [(">=", line[1][1])]
        return [("<", line[1][1])]  # <=1.2.x: anything before 1.3.0
    return [("=" if op in ("", "=") else op, _full(numbers, rest))]


def npm_pairs(native: str) -> list[Pair] | None:
    """(operator, version) pairs for an npm range; None when it admits every version."""
    out: list[Pair] = []
    for text in native.split("||"):
        found = _alternative(text.strip(), native)
        if found is None:
            return None
        out.extend(found)
    return out
