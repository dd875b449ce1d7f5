"""CPE names: parsing (2.3 formatted strings and 2.2 URIs) and NISTIR 7696 matching.

Inventories, NVD configurations and CISA's ADP container all name products by
CPE. Matching follows the attribute relations of NISTIR 7696: the logical
values ANY (`*`) and NA (`-`) are not the same thing, and treating NA as "any
version" is exactly the Dependency-Track#3268 false positive (a CPE with
version `-` matching every release). Wildcards (`*`, `?`) are honoured only at
the start or end of a value, as the standard allows; a target carrying
wildcards gives the UNDEFINED relation rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import unquote

from openwarp.core.errors import InvalidInput

__all__ = [
    "ANY",
    "ATTRIBUTES",
    "NA",
    "Cpe",
    "Logical",
    "Pattern",
    "Relation",
    "compare_attribute",
    "compare_names",
    "cpe_disjoint",
    "cpe_equal",
    "cpe_subset",
    "cpe_superset",
    "parse_cpe",
]

ATTRIBUTES = (
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
)


class Logical(Enum):
    """The two logical values of a CPE attribute."""

    ANY = "*"
    NA = "-"


ANY = Logical.ANY
NA = Logical.NA


@dataclass(frozen=True, slots=True)
class Pattern:
    """A value with leading/trailing wildcards: `lead` and `trail` are '*' or '?'s."""

    lead: str
    body: str
    trail: str

    def __str__(self) -> str:
        return f"{self.lead}{_escape(self.body)}{self.trail}"


Value = str | Logical | Pattern


class Relation(Enum):
    """Set relation of a source attribute (or name) to a target one (NISTIR 7696 6.1)."""

    EQUAL = "equal"
    SUPERSET = "superset"
    SUBSET = "subset"
    DISJOINT = "disjoint"
    UNDEFINED = "undefined"


@dataclass(frozen=True, slots=True)
class Cpe:
    """A CPE name as a well-formed name; string values are unescaped and lower-case."""

    part: Value = ANY
    vendor: Value = ANY
    product: Value = ANY
    version: Value = ANY
    update: Value = ANY
    edition: Value = ANY
    language: Value = ANY
    sw_edition: Value = ANY
    target_sw: Value = ANY
    target_hw: Value = ANY
    other: Value = ANY

    def values(self) -> tuple[Value, ...]:
        return tuple(getattr(self, name) for name in ATTRIBUTES)

    def to_fs(self) -> str:
        """Bind to a CPE 2.3 formatted string (for evidence shown to people)."""
        return "cpe:2.3:" + ":".join(_bind_value(v) for v in self.values())


_FS_SPLIT = re.compile(r"(?<!\\):")
_SAFE = re.compile(r"[a-z0-9_.\-]")


def _escape(text: str) -> str:
    return "".join(ch if _SAFE.match(ch) else "\\" + ch for ch in text)


def _bind_value(value: Value) -> str:
    if isinstance(value, Logical):
        return value.value
    if isinstance(value, Pattern):
        return str(value)
    return "\\-" if value == "-" else _escape(value)


def parse_cpe(text: str) -> Cpe:
    """Parse a CPE 2.3 formatted string or a CPE 2.2 URI; raise InvalidInput if malformed."""
    cleaned = text.strip()
    if cleaned.lower().startswith("cpe:2.3:"):
        return _parse_fs(cleaned)
    if cleaned.lower().startswith("cpe:/"):
        return _parse_uri(cleaned)
    raise InvalidInput(f"not a CPE name: {text!r}", field="cpe")


def _split_fs(text: str) -> list[str]:
    """Split on colons not escaped by an odd run of backslashes."""
    parts, current, index = [], [], 0
    while index < len(text):
        ch = text[index]
        if ch == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if ch == ":":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        index += 1
    parts.append("".join(current))
    return parts


def _parse_fs(text: str) -> Cpe:
    parts = _split_fs(text)
    if len(parts) != 13:
        raise InvalidInput(
            f"a CPE 2.3 name has 11 attributes, {text!r} has {len(parts) - 2}", field="cpe"
        )
    values = [_unbind_fs_value(raw, text) for raw in parts[2:]]
    if values[0] not in ("a", "o", "h", ANY):
        raise InvalidInput(f"CPE part must be a, o or h in {text!r}", field="cpe")
    return Cpe(*values)


def _unbind_fs_value(raw: str, whole: str) -> Value:
    if raw == "*":
        return ANY
    if raw == "-":
        return NA
    if raw == "":
        raise InvalidInput(f"empty attribute in {whole!r}", field="cpe")
    chars: list[tuple[str, bool]] = []  # (char, is_wildcard)
    index = 0
    while index < len(raw):
        ch = raw[index]
        if ch == "\\":
            if index + 1 >= len(raw):
                raise InvalidInput(f"dangling escape in {whole!r}", field="cpe")
            chars.append((raw[index + 1], False))
            index += 2
            continue
        chars.append((ch, ch in "*?"))
        index += 1
    return _to_pattern(chars, whole)


def _to_pattern(chars: list[tuple[str, bool]], whole: str) -> Value:
    start, end = 0, len(chars)
    while start < end and chars[start][1]:
        start += 1
    while end > start and chars[end - 1][1]:
        end -= 1
    if any(wild for _, wild in chars[start:end]):
        raise InvalidInput(
            f"wildcards are allowed only at the ends of a value: {whole!r}", field="cpe"
        )
    lead = "".join(c for c, _ in chars[:start])
    trail = "".join(c for c, _ in chars[end:])
    for run in (lead, trail):
        if "*" in run and run != "*":
            raise InvalidInput(
                f"'*' may not be combined with other wildcards: {whole!r}", field="cpe"
            )
    body = "".join(c for c, _ in chars[start:end]).lower()
    if not lead and not trail:
        return body
    return Pattern(lead, body, trail)


def _parse_uri(text: str) -> Cpe:
    """Unbind a CPE 2.2 URI (`cpe:/a:redhat:enterprise_linux:6::el8`), as CNAs still send."""
    fields = text[len("cpe:/") :].split(":")
    if len(fields) > 7:
        raise InvalidInput(f"too many components in CPE URI {text!r}", field="cpe")
    fields += [""] * (7 - len(fields))
    values: list[Value] = [_uri_value(f) for f in fields[:5]]
    edition = fields[5]
    packed = ["", "", "", "", ""]
    if edition.startswith("~"):
        pieces = edition[1:].split("~")
        packed[: len(pieces)] = pieces[:5]
        values.append(_uri_value(packed[0]))
    else:
        values.append(_uri_value(edition))
    values.append(_uri_value(fields[6]))
    values.extend(_uri_value(p) for p in packed[1:5])
    if values[0] not in ("a", "o", "h", ANY):
        raise InvalidInput(f"CPE part must be a, o or h in {text!r}", field="cpe")
    return Cpe(*values)


def _uri_value(raw: str) -> Value:
    if raw == "":
        return ANY
    if raw == "-":
        return NA
    marked = raw.replace("%01", "\x01").replace("%02", "\x02")
    decoded = unquote(marked)
    chars = [(c, c in "\x01\x02") for c in decoded]
    chars = [("?" if c == "\x01" else "*" if c == "\x02" else c, w) for c, w in chars]
    return _to_pattern(chars, raw)


def _pattern_matches(source: Pattern, target: str) -> bool:
    """NISTIR 7696 string matching: `*` any run; a run of n `?` up to n characters."""
    index = target.find(source.body)
    while index != -1:
        before_ok = source.lead == "*" or index <= len(source.lead)
        leftover = len(target) - index - len(source.body)
        after_ok = source.trail == "*" or leftover <= len(source.trail)
        if before_ok and after_ok:
            return True
        index = target.find(source.body, index + 1)
    return False


def compare_attribute(source: Value, target: Value) -> Relation:
    """Relation of one source attribute to the target's (Table 6-2 of NISTIR 7696)."""
    if isinstance(target, Pattern):
        return Relation.UNDEFINED  # rows 4, 8, 11 and 17: a target may not carry wildcards
    if source is ANY:
        return Relation.EQUAL if target is ANY else Relation.SUPERSET
    if target is ANY:
        return Relation.SUBSET
    if source is NA:
        return Relation.EQUAL if target is NA else Relation.DISJOINT
    if target is NA:
        return Relation.DISJOINT
    if isinstance(source, Pattern):
        return Relation.SUPERSET if _pattern_matches(source, str(target)) else Relation.DISJOINT
    return Relation.EQUAL if source == str(target).lower() else Relation.DISJOINT


def compare_names(source: Cpe, target: Cpe) -> dict[str, Relation]:
    """Attribute-by-attribute relations of source to target."""
    return {
        name: compare_attribute(s, t)
        for name, s, t in zip(ATTRIBUTES, source.values(), target.values(), strict=True)
    }


def cpe_disjoint(source: Cpe, target: Cpe) -> bool:
    """True when some attribute is DISJOINT: the names share no product instance."""
    return Relation.DISJOINT in compare_names(source, target).values()


def cpe_equal(source: Cpe, target: Cpe) -> bool:
    return all(r is Relation.EQUAL for r in compare_names(source, target).values())


def cpe_subset(source: Cpe, target: Cpe) -> bool:
    return all(
        r in (Relation.SUBSET, Relation.EQUAL) for r in compare_names(source, target).values()
    )


def cpe_superset(source: Cpe, target: Cpe) -> bool:
    return all(
        r in (Relation.SUPERSET, Relation.EQUAL) for r in compare_names(source, target).values()
    )
