"""`vers:` version-range strings (the package-url project's vers specification).

Advisories and SBOM tools increasingly carry ranges as `vers:` strings, and the
issue asks us to pass the public vers-spec test files. We parse strictly (a
non-canonical range is reported, not repaired silently) and evaluate
containment with the scheme's comparator: `intdot` and `lexicographic` as the
spec defines them, the ecosystems in `schemes.py` (pypi, npm, nuget, maven,
openssl, gentoo, conan, alpm, datetime), and every other scheme with our vendor
comparator, which answers "cannot compare" rather than guessing. The reserved
types `example` and `test` parse with a warning but cannot be compared;
`invalid` is refused. Containment reads a range whose
constraints are out of order by sorting them first (the spec's own first step);
`parse_vers` itself stays strict.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cmp_to_key
from itertools import pairwise

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.schemes import SCHEME_COMPARATORS, canonical_in_scheme
from openwarp.core.vulns.versions import Ordering, compare_versions

__all__ = [
    "VersRange",
    "canonicalise_vers",
    "compare_in_scheme",
    "parse_vers",
    "sort_in_scheme",
    "vers_contains",
]

_COMPARATORS = (">=", "<=", "!=", "<", ">", "=")
_RESERVED_UNORDERED = frozenset({"example", "test"})
_PERCENT = re.compile(r"%(.{0,2})")
_HEX2 = re.compile(r"^[0-9A-Fa-f]{2}$")
_INTDOT_HEAD = re.compile(r"^[0-9.]*")


@dataclass(frozen=True, slots=True)
class VersRange:
    """A parsed range: the scheme and its (comparator, version) constraints in order.

    `warning` is set for the reserved types `example` and `test`, which parse but
    define no version ordering.
    """

    scheme: str
    constraints: tuple[tuple[str, str], ...]
    warning: str | None = None


class _UnorderableError(Exception):
    """Two constraint versions the scheme cannot order."""


def _fail(message: str) -> InvalidInput:
    return InvalidInput(f"non-canonical VERS: {message}", field="vers")


def _decode(raw: str, scheme: str) -> str:
    """Percent-decode once, insisting on the canonical upper-case form."""
    for match in _PERCENT.finditer(raw):
        if not _HEX2.match(match.group(1)):
            raise _fail("invalid percent-encoding in version")
        if match.group(1) != match.group(1).upper():
            raise _fail("percent-encoding in version is not canonical")
        if scheme == "datetime" and match.group(1) == "3A":
            raise _fail("datetime time colons must be unencoded")
    out = re.sub(r"%([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), raw)
    if scheme == "datetime" and ("t" in out or "z" in out):
        raise _fail("datetime must use uppercase T and Z")
    return out


def _split_constraint(text: str) -> tuple[str, str]:
    for comparator in _COMPARATORS:
        if text.startswith(comparator):
            return comparator, text[len(comparator) :]
    return "=", text


def parse_vers(text: str, *, strict: bool = True) -> VersRange:
    """Parse a canonical `vers:` string; raise InvalidInput naming what is wrong.

    With `strict=False` constraints out of version order are sorted, not refused.
    """
    if any(ch.isspace() for ch in text):
        raise _fail("whitespace is not permitted")
    if not text.startswith("vers:") or "/" not in text:
        raise _fail("expected vers:<scheme>/<constraints>")
    scheme, _, body = text[len("vers:") :].partition("/")
    if not scheme or scheme != scheme.lower():
        raise _fail("scheme must be lower-case and not empty")
    if body.startswith("|"):
        raise _fail("leading pipe is not permitted")
    if body.endswith("|"):
        raise _fail("trailing pipe is not permitted")
    if "||" in body:
        raise _fail("consecutive pipes are not permitted")
    warning = _reserved_type_warning(scheme)
    if body == "*":
        return VersRange(scheme, (("*", "*"),), warning)
    pairs = []
    for item in body.split("|"):
        comparator, raw = _split_constraint(item)
        if not raw:
            raise _fail(f"constraint {item!r} has no version")
        pairs.append((comparator, _decode(raw, scheme)))
    if strict:
        _check_sorted(scheme, pairs)
    else:
        pairs = _sorted_constraints(scheme, pairs)
    return VersRange(scheme, tuple(pairs), warning)


def _reserved_type_warning(scheme: str) -> str | None:
    """Refuse the reserved `invalid` type; warn for `example` and `test`."""
    if scheme == "invalid":
        raise InvalidInput(
            "invalid VERS type: 'invalid' is reserved for intentionally invalid VERS notations",
            field="vers",
        )
    if scheme in _RESERVED_UNORDERED:
        return f"unregistered VERS type: {scheme!r} is reserved by the VERS standard"
    return None


def _check_sorted(scheme: str, pairs: list[tuple[str, str]]) -> None:
    for (_, first), (_, second) in pairwise(pairs):
        order = compare_in_scheme(scheme, first, second)
        if order is Ordering.GREATER:
            raise _fail("constraints are not sorted by version")


def _sorted_constraints(scheme: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Sort by version; leave the order alone when some versions cannot be ordered."""

    def cmp(a: tuple[str, str], b: tuple[str, str]) -> int:
        order = compare_in_scheme(scheme, a[1], b[1])
        if order is Ordering.INCOMPARABLE:
            raise _UnorderableError
        return order.value

    try:
        return sorted(pairs, key=cmp_to_key(cmp))
    except _UnorderableError:
        return pairs


def canonicalise_vers(text: str) -> str:
    """Repair what a person typed: drop stray spaces, percent-encode inner ones, and
    put the constraints in version order (stable: duplicates and comparators kept)."""
    stripped = text.strip()
    head, _, body = stripped.partition("/")
    scheme = head.replace(" ", "").removeprefix("vers:")
    # (written constraint, version to order it by): `_sorted_constraints` reads [1]
    parts = []
    for item in body.split("|"):
        comparator, raw = _split_constraint(item.strip())
        version = raw.strip().replace("%", "%25").replace(" ", "%20").replace("\t", "%09")
        shown = "" if comparator == "=" and not item.strip().startswith("=") else comparator
        parts.append((shown + version, raw.strip()))
    if len(parts) > 1:
        parts = _sorted_constraints(scheme, parts)
    return f"{head.replace(' ', '')}/{'|'.join(written for written, _ in parts)}"


def _intdot_key(version: str) -> tuple[int, ...]:
    head = _INTDOT_HEAD.match(version)
    numbers = [int(p) for p in (head.group() if head else "").split(".") if p]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def compare_in_scheme(scheme: str, left: str, right: str) -> Ordering:
    """Compare two versions the way `scheme` orders them (equality semantics)."""
    if scheme in _RESERVED_UNORDERED:
        return Ordering.INCOMPARABLE
    if scheme == "intdot":
        a, b = _intdot_key(left), _intdot_key(right)
        return Ordering.EQUAL if a == b else (Ordering.LESS if a < b else Ordering.GREATER)
    if scheme == "lexicographic":
        x, y = left.encode("utf-8"), right.encode("utf-8")
        return Ordering.EQUAL if x == y else (Ordering.LESS if x < y else Ordering.GREATER)
    ecosystem = SCHEME_COMPARATORS.get(scheme)
    if ecosystem is not None:
        result = ecosystem(left, right)
        return Ordering.INCOMPARABLE if result is None else Ordering(result)
    return compare_versions(left, right)


def sort_in_scheme(scheme: str, versions: list[str]) -> list[str]:
    """Sort deterministically, in the scheme's spelling (NuGet labels lower-case).

    Ties (e.g. intdot `1.2` vs `1.2rc1`) fall back to the text.
    """

    def cmp(a: str, b: str) -> int:
        order = compare_in_scheme(scheme, a, b)
        if order is Ordering.INCOMPARABLE:
            raise InvalidInput(f"{a!r} and {b!r} cannot be ordered in {scheme}", field="vers")
        if order is Ordering.EQUAL and a != b:
            return -1 if a.encode() < b.encode() else 1
        return order.value

    spelled = [canonical_in_scheme(scheme, version) for version in versions]
    return sorted(spelled, key=cmp_to_key(cmp))


def _satisfies(order: Ordering, comparator: str) -> bool | None:
    if order is Ordering.INCOMPARABLE:
        return None
    table: dict[str, Callable[[Ordering], bool]] = {
        "<": lambda o: o is Ordering.LESS,
        "<=": lambda o: o is not Ordering.GREATER,
        ">": lambda o: o is Ordering.GREATER,
        ">=": lambda o: o is not Ordering.LESS,
        "=": lambda o: o is Ordering.EQUAL,
        "!=": lambda o: o is not Ordering.EQUAL,
    }
    return table[comparator](order)


def vers_contains(vers: VersRange | str, version: str) -> bool | None:
    """Is `version` inside the range? None when the scheme cannot order it.

    Raises InvalidInput for the reserved types `example` and `test`, which define
    no ordering at all (the spec asks for an error, not "cannot compare").
    """
    rng = parse_vers(vers, strict=False) if isinstance(vers, str) else vers
    if rng.scheme in _RESERVED_UNORDERED:
        raise InvalidInput(
            f"no version ordering is defined for the reserved VERS type: {rng.scheme}",
            field="vers",
        )
    if rng.constraints == (("*", "*"),):
        return True
    bounds: list[tuple[str, Ordering]] = []
    for comparator, bound in rng.constraints:
        order = compare_in_scheme(rng.scheme, version, bound)
        if order is Ordering.INCOMPARABLE:
            return None
        if comparator == "=" and order is Ordering.EQUAL:
            return True
        if comparator == "!=" and order is Ordering.EQUAL:
            return False
        if comparator not in ("=", "!="):
            bounds.append((comparator, order))
    return _within_intervals(bounds)


def _within_intervals(bounds: list[tuple[str, Ordering]]) -> bool:
    """Read sorted bounds as intervals: `>=a|<b|>=c` is [a, b) and [c, oo)."""
    for index, (comparator, order) in enumerate(bounds):
        ok = bool(_satisfies(order, comparator))
        nxt = bounds[index + 1] if index + 1 < len(bounds) else None
        prev = bounds[index - 1] if index > 0 else None
        if comparator in ("<", "<="):
            if ok and (prev is None or prev[0] in ("<", "<=")):
                return True
            continue
        if not ok:
            continue
        if nxt is None or nxt[0] in (">", ">="):
            return True
        if _satisfies(nxt[1], nxt[0]):
            return True
    return False
