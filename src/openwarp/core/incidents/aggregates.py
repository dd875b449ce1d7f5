"""Regional counts of incidents and breaches, and the per-organisation breach rate.

The hub gives plain rows (one per incident); these functions count them into
cells and say how many distinct organisations stand behind each cell, which
is what small-cell suppression needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IncidentRow:
    organisation_id: int
    organisation_type: str
    category: str
    year: int
    open: bool
    breach: bool


@dataclass(frozen=True, slots=True)
class Cells:
    counts: dict[Hashable, int]
    organisations: dict[Hashable, int]


def _cells(rows: Iterable[IncidentRow], key_of: object) -> Cells:
    counts: dict[Hashable, int] = defaultdict(int)
    members: dict[Hashable, set[int]] = defaultdict(set)
    for row in rows:
        key = key_of(row)  # type: ignore[operator]
        counts[key] += 1
        members[key].add(row.organisation_id)
    return Cells(dict(counts), {key: len(ids) for key, ids in members.items()})


def open_by_category_and_type(rows: Iterable[IncidentRow]) -> Cells:
    """Open incidents per (NCSC category, organisation type)."""
    return _cells((r for r in rows if r.open), lambda r: (r.category, r.organisation_type))


def open_by_category_only(rows: Iterable[IncidentRow]) -> Cells:
    """Open incidents per NCSC category, all organisation types together."""
    return _cells((r for r in rows if r.open), lambda r: r.category)


def breaches_by_type_and_year(rows: Iterable[IncidentRow]) -> Cells:
    """Personal-data breaches per (organisation type, year)."""
    return _cells((r for r in rows if r.breach), lambda r: (r.organisation_type, r.year))


def breach_rate(breaches: int | None, organisations_of_type: int) -> float | None:
    """Breaches per organisation of that type, as the sector quotes it (e.g. 4.6 per county)."""
    if breaches is None or organisations_of_type == 0:
        return None
    return round(breaches / organisations_of_type, 2)
