"""Reading the `versions` of a CVE JSON 5 `affected` entry for one installed version.

The schema allows exact versions, ranges (`version` up to `lessThan` or
`lessThanOrEqual`), `changes` inside a range and a `defaultStatus` for the rest.
Real records add habits a careful analyst reads through: free text such as
"7.0.1-5035 and older versions", Citrix's `13.1` + `lessThan: 53.17` meaning
build 13.1-53.17, Apple's one upper bound per release line under a single
product name, git commit ranges that say nothing about a product version, and a
trailing space in `10.2.9-h1 `. Each is handled here, and every outcome the
data does not settle is "needs review" with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from openwarp.core.vulns.model import Judgement, Verdict
from openwarp.core.vulns.scheme_map import (
    LOOSE_SCHEMES,
    LOOSE_SEMVER,
    bounds_parse,
    comparator,
    comparison_for,
    row_scheme_applies,
    scheme_for_version_type,
    scheme_problem,
)
from openwarp.core.vulns.versions import (
    Ordering,
    compare_versions,
    equality_key,
    version_in_prefix,
)

__all__ = ["Interpreted", "interpret", "judge_version"]

_UNBOUNDED = frozenset({"", "0", "*", "unspecified", "n/a", "all", "all versions", "-"})
_ALL = frozenset({"*", "all", "all versions"})
_UNSPECIFIED = frozenset({"", "-", "n/a", "unspecified", "unknown"})
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
_OLDER = re.compile(
    r"^(.+?)\s*(?:_|\s)(?:and|or)(?:_|\s)(?:older|earlier|prior|below|lower)"
    r"(?:\s+versions?)?$",
    re.I,
)
_BEFORE = re.compile(r"^(?:before|prior to|<)\s*(.+)$", re.I)
_AT_MOST = re.compile(r"^(?:<=|up to)\s*(.+)$", re.I)


@dataclass(frozen=True, slots=True)
class _Entry:
    status: str
    lower: str | None
    upper: str | None
    upper_inclusive: bool
    exact: str | None
    line: str | None
    changes: tuple[tuple[str, str], ...]
    text: str
    scheme: str | None = None

    def bounds(self) -> tuple[str | None, ...]:
        return (self.lower, self.upper, self.exact, *(at for at, _ in self.changes))


_Compare = Callable[[str, str], Ordering]


def judge_version(
    versions: list[dict[str, Any]] | Interpreted,
    default_status: str,
    installed: str,
    *,
    is_purl: bool = False,
    row_scheme: str | None = None,
) -> Judgement:
    """Status of `installed` under one entry's `versions` and `defaultStatus`; pass an
    `Interpreted` (from `interpret`) to judge many installed versions cheaply.

    Objects that name a version scheme (`versionType`, a CSAF `vers:` range) are
    compared in it when the row's version is in that scheme (see `scheme_map`)."""
    table = versions if isinstance(versions, Interpreted) else interpret(versions)
    entries, skipped = table.entries, table.skipped
    covering: list[tuple[_Entry, str]] = []
    unsure: list[tuple[str, str | None]] = []
    used: set[str] = set()
    mine = equality_key(installed)
    if mine is not None:
        covering.extend((e, e.status) for e in table.exact.get(mine, ()))
    candidates = table.others if mine is not None else entries
    for entry in _line_scoped(candidates, installed):
        scheme = entry.scheme
        if scheme is not None and not row_scheme_applies(
            scheme, is_purl=is_purl, row_scheme=row_scheme
        ):
            scheme = None
        if scheme is not None:
            used.add(scheme)
            scheme = comparison_for(scheme, is_purl=is_purl)
        status = _covers(entry, installed, scheme)
        if status is None:
            continue
        if status == "?":
            problem = scheme_problem(scheme, installed, entry.bounds()) if scheme else None
            unsure.append((entry.text, problem))
        else:
            covering.append((entry, status))
    judgement = _decide(covering, unsure, skipped, default_status, installed, entries)
    if used:
        judgement.evidence["version_scheme"] = sorted(used)[0]
    return judgement


@dataclass(frozen=True, slots=True)
class Interpreted:
    """A record's versions read once: ranges, exact versions by equality key, the rest."""

    entries: list[_Entry]
    others: list[_Entry]
    exact: dict[tuple[object, ...], list[_Entry]]
    skipped: int


def interpret(versions: list[dict[str, Any]]) -> Interpreted:
    """Read raw version objects once; commit ranges are counted as skipped."""
    entries, others, skipped = [], [], 0
    exact: dict[tuple[object, ...], list[_Entry]] = {}
    for raw in versions:
        entry = _entry(raw)
        if entry is None:
            skipped += 1
            continue
        entries.append(entry)
        plain = entry.exact if entry.scheme is None else None  # a scheme has its own "="
        key = equality_key(plain) if plain is not None else None
        if key is not None:
            exact.setdefault(key, []).append(entry)
        else:
            others.append(entry)
    return Interpreted(entries, others, exact, skipped)


def _entry(raw: dict[str, Any]) -> _Entry | None:
    status = str(raw.get("status", "unknown")).strip().lower()
    version = str(raw.get("version", "")).strip()
    vtype = str(raw.get("versionType") or "").strip().lower()
    if vtype == "git" or (_COMMIT.match(version.lower()) and not version.isdigit()):
        return None  # a commit range says nothing about a product's release number
    changes = tuple(
        (str(c.get("at", "")).strip(), str(c.get("status", "")).strip().lower())
        for c in raw.get("changes") or []
        if isinstance(c, dict)
    )
    return _with_scheme(_plain_entry(raw, status, version, vtype, changes), vtype)


def _plain_entry(
    raw: dict[str, Any], status: str, version: str, vtype: str, changes: tuple[tuple[str, str], ...]
) -> _Entry:
    lt, lte = raw.get("lessThan"), raw.get("lessThanOrEqual")
    text = _describe(raw)
    if lt is None and lte is None:
        return _exact_or_text(status, version, changes, text)
    upper = str(lt if lt is not None else lte).strip()
    lower = None if version.lower() in _UNBOUNDED else version
    if upper.lower() in _ALL or upper == "":
        return _Entry(status, lower, None, lt is None, None, None, changes, text)
    combined = _citrix_build(lower, upper, vtype)
    if combined != upper:  # the range lives inside one release line such as 13.1
        return _Entry(status, None, combined, lt is None, None, lower, changes, text)
    return _Entry(status, lower, upper, lt is None, None, None, changes, text)


def _with_scheme(entry: _Entry, vtype: str) -> _Entry:
    """Attach the object's version scheme; a loose `semver` label whose own bounds are
    not SemVer (Juniper `21.4R3-S5`) is dropped and the vendor comparator reads them."""
    scheme = scheme_for_version_type(vtype) if vtype else None
    if scheme is None or entry.line is not None:
        return entry
    if entry.exact is not None and entry.exact.lower() in _UNSPECIFIED:
        return entry
    if scheme in LOOSE_SCHEMES and not bounds_parse(scheme, entry.bounds()):
        return entry
    return replace(entry, scheme=scheme)


def _citrix_build(lower: str | None, upper: str, vtype: str) -> str:
    """`13.1` with `lessThan: 53.17` (versionType patch) is Citrix's build 13.1-53.17."""
    if (
        vtype == "patch"
        and lower
        and re.fullmatch(r"\d+\.\d+", upper)
        and re.match(r"^\d+\.\d+(?:-[a-z]+)?$", lower, re.I)
        and lower.split(".")[0] != upper.split(".")[0]
    ):
        return f"{lower}-{upper}"
    return upper


def _exact_or_text(
    status: str, version: str, changes: tuple[tuple[str, str], ...], text: str
) -> _Entry:
    low = version.lower()
    if low in _ALL:
        return _Entry(status, None, None, False, None, None, changes, text)
    for pattern, inclusive in ((_OLDER, True), (_AT_MOST, True), (_BEFORE, False)):
        match = pattern.match(version)
        if match:
            return _Entry(
                status, None, match.group(1).strip(), inclusive, None, None, changes, text
            )
    return _Entry(status, None, None, False, version, None, changes, text)


def _describe(raw: dict[str, Any]) -> str:
    parts = [f"{raw.get('status', '?')} {str(raw.get('version', '')).strip()}"]
    if raw.get("lessThan") is not None:
        parts.append(f"< {str(raw['lessThan']).strip()}")
    if raw.get("lessThanOrEqual") is not None:
        parts.append(f"<= {str(raw['lessThanOrEqual']).strip()}")
    return " ".join(parts)


def _line(version: str, depth: int) -> tuple[str, ...] | None:
    numbers = re.findall(r"\d+", version)
    return tuple(numbers[:depth]) if len(numbers) >= depth else None


def _line_scoped(entries: list[_Entry], installed: str) -> list[_Entry]:
    """Apple- and Oracle-style records give one bare upper bound per release line
    ("< 13.7", "< 14.7", "< 15"; "<= 8.0.39", "<= 8.4.2"): judge a release only by the
    bounds of its own line (same major, then same major.minor) when there are any."""
    upper_only = [e for e in entries if e.lower is None and e.upper and e.exact is None]
    if len({e.upper for e in upper_only}) < 2:
        return entries
    scoped = upper_only
    for depth in (1, 2):
        mine = _line(installed, depth)
        narrower = [e for e in scoped if mine is not None and _line(e.upper or "", depth) == mine]
        if not narrower:
            break
        scoped = narrower
    if scoped is upper_only:
        return entries
    return [e for e in entries if e not in upper_only or e in scoped]


def _covers(entry: _Entry, installed: str, scheme: str | None = None) -> str | None:
    """The entry's status for `installed`, None if it does not apply, '?' if unsure;
    compared in `scheme` when one applies, else with the vendor comparator."""
    compare = comparator(scheme) if scheme is not None else compare_versions
    if entry.exact is not None:
        if entry.exact.lower() in _UNSPECIFIED:
            return "?"
        same = comparator(scheme, equality=True) if scheme is not None else compare
        order = same(installed, entry.exact)
        if order is Ordering.EQUAL:
            return entry.status
        strict = scheme is not None and scheme != LOOSE_SEMVER
        if order is Ordering.INCOMPARABLE and (
            strict or not (entry.exact[:1].isdigit() and installed[:1].isdigit())
        ):
            return "?"
        return None  # different release, or a different train of the same numbering
    inside = _inside(entry, installed, compare)
    if inside is None or isinstance(inside, str):
        return inside
    for at, status in sorted(entry.changes, key=_change_key(installed, compare)):
        if at and compare(installed, at) in (Ordering.EQUAL, Ordering.GREATER):
            return status
    return entry.status


def _change_key(installed: str, compare: _Compare) -> Any:
    def key(change: tuple[str, str]) -> int:
        return 0 if compare(installed, change[0]) is Ordering.INCOMPARABLE else 1

    return key


def _inside(
    entry: _Entry, installed: str, compare: _Compare = compare_versions
) -> bool | str | None:
    """True inside the range, None outside, '?' when the bounds cannot be compared."""
    if entry.line is not None and version_in_prefix(installed, entry.line) is not Ordering.EQUAL:
        return None  # another release line (13.0 vs 13.1, or a FIPS line)
    if entry.lower is not None:
        low = compare(installed, entry.lower)
        if low is Ordering.INCOMPARABLE:
            return "?"
        if low is Ordering.LESS:
            return None
    if entry.upper is None:
        return True
    if entry.upper.endswith(("*", ".x")):
        high = version_in_prefix(installed, entry.upper)
        return "?" if high is Ordering.INCOMPARABLE else (high is not Ordering.GREATER or None)
    high = compare(installed, entry.upper)
    if high is Ordering.INCOMPARABLE:
        return "?"
    if high is Ordering.LESS or (entry.upper_inclusive and high is Ordering.EQUAL):
        return True
    return None


def _decide(
    covering: list[tuple[_Entry, str]],
    unsure: list[tuple[str, str | None]],
    skipped: int,
    default_status: str,
    installed: str,
    entries: list[_Entry],
) -> Judgement:
    evidence: dict[str, Any] = {"installed": installed}
    statuses = {status for _, status in covering}
    if covering:
        evidence["matched_versions"] = [e.text for e, _ in covering]
    if "affected" in statuses and "unaffected" in statuses:
        exact = {s for e, s in covering if e.exact is not None}
        if len(exact) == 1:
            statuses = exact
        else:
            return Judgement(
                Verdict.NEEDS_REVIEW, f"the record both includes and excludes {installed}", evidence
            )
    if statuses == {"affected"}:
        return Judgement(Verdict.AFFECTED, f"{installed} is within {covering[0][0].text}", evidence)
    if statuses == {"unaffected"}:
        return Judgement(
            Verdict.NOT_AFFECTED,
            f"{installed} is listed as unaffected ({covering[0][0].text})",
            evidence,
        )
    if statuses:
        return Judgement(
            Verdict.NEEDS_REVIEW,
            f"the record gives status '{sorted(statuses)[0]}' for {installed}",
            evidence,
        )
    if unsure:
        evidence["not_comparable"] = [text for text, _ in unsure[:5]]
        text, problem = unsure[0]
        why = f": {problem}" if problem else ""
        reason = f"cannot compare {installed} with the record's '{text}'{why}"
        return Judgement(Verdict.NEEDS_REVIEW, reason, evidence)
    return _by_default(default_status, installed, entries, skipped, evidence)


def _by_default(
    default_status: str,
    installed: str,
    entries: list[_Entry],
    skipped: int,
    evidence: dict[str, Any],
) -> Judgement:
    status = (default_status or "unknown").lower()
    evidence["default_status"] = status
    if status == "affected":
        return Judgement(
            Verdict.AFFECTED,
            f"{installed} is not excluded and the record's default status is affected",
            evidence,
        )
    if status == "unaffected":
        return Judgement(
            Verdict.NOT_AFFECTED, f"{installed} is outside every affected range", evidence
        )
    if any(e.status == "affected" for e in entries):
        return Judgement(
            Verdict.NOT_AFFECTED,
            f"{installed} is not among the affected "
            "versions listed (the record leaves other versions unknown)",
            evidence,
        )
    if skipped:
        return Judgement(
            Verdict.NEEDS_REVIEW,
            "the record gives only source-code commit ranges, not product versions",
            evidence,
        )
    return Judgement(Verdict.NEEDS_REVIEW, "the record lists no usable affected versions", evidence)
