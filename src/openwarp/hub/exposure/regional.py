"""The regional exposure view: for each CVE, how many members are exposed and
unresolved, by organisation type, and how long members take to remediate.

Counts are of organisations, never of rows, and no name is ever shown here.
Coordinators see every count; everyone else who may open the view sees cells
of fewer than k organisations suppressed by `policy.suppress_small_cells`,
the per-CVE total hidden below k, and remediation times only when at least k
organisations have resolved the CVE.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass

from openwarp.core.errors import PermissionDenied
from openwarp.hub.exposure import rules
from openwarp.hub.exposure.models import ExposureWarning, Status
from openwarp.hub.members.models import OrganisationType
from openwarp.hub.members.policy import K_ANONYMITY, Viewer, suppress_small_cells
from openwarp.hub.members.policy.exposure import RegionalDetail, regional_detail

UNRESOLVED = (Status.OPEN, Status.ACKNOWLEDGED)
TYPE_LABELS = dict(OrganisationType.choices)


@dataclass(frozen=True, slots=True)
class RegionalRow:
    cve_id: str
    kev: bool
    exposed: int | None
    by_type: dict[str, int | None]
    resolved: int | None
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True, slots=True)
class RegionalView:
    detail: RegionalDetail
    rows: list[RegionalRow]
    types: list[tuple[str, str]]

    @property
    def table(self) -> list[tuple[RegionalRow, list[int | None]]]:
        """Each row with its by-type cells in column order (absent types are 0)."""
        return [(row, [row.by_type.get(code, 0) for code, _ in self.types]) for row in self.rows]


def regional_exposure(*, viewer: Viewer, limit: int = 200) -> RegionalView:
    detail = regional_detail(viewer)
    if detail is None:
        raise PermissionDenied("the regional view is for the hub and board readers")
    exposed: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    resolved: dict[str, dict[int, float]] = defaultdict(dict)
    kev: dict[str, bool] = defaultdict(bool)
    query = ExposureWarning.objects.filter(active=True).values_list(
        "cve_id",
        "organisation_id",
        "organisation__org_type",
        "status",
        "first_seen_at",
        "resolved_at",
        "kev",
    )
    for cve_id, org_id, org_type, status, first_seen, resolved_at, is_kev in query:
        kev[cve_id] |= is_kev
        if status in UNRESOLVED:
            exposed[cve_id][org_type].add(org_id)
        elif resolved_at is not None:
            hours = (resolved_at - first_seen).total_seconds() / 3600
            # an organisation with several products counts once, by its slowest fix
            resolved[cve_id][org_id] = max(hours, resolved[cve_id].get(org_id, 0.0))
    rows = [
        _row(cve, exposed.get(cve, {}), resolved.get(cve, {}), kev[cve], detail)
        for cve in set(exposed) | set(resolved)
    ]
    rows.sort(key=lambda r: (-(r.exposed or 0), not r.kev, r.cve_id))
    present = sorted({t for cells in exposed.values() for t in cells})
    return RegionalView(detail, rows[:limit], [(t, TYPE_LABELS.get(t, t)) for t in present])


def _remainder_safe(counts: dict[Hashable, int], hidden: frozenset[Hashable]) -> bool:
    """A total beside hidden cells gives away their sum (total minus the cells shown):
    publish it only when that sum is itself at least k, or nothing is hidden."""
    return not hidden or sum(counts[key] for key in hidden) >= K_ANONYMITY


def _row(
    cve_id: str,
    by_type: dict[str, set[int]],
    resolved: dict[int, float],
    kev: bool,
    detail: RegionalDetail,
) -> RegionalRow:
    counts: dict[Hashable, int] = {t: len(orgs) for t, orgs in by_type.items()}
    total = sum(counts.values())
    stats = rules.remediation(list(resolved.values()))
    if detail is RegionalDetail.FULL:
        return RegionalRow(
            cve_id,
            kev,
            total,
            {str(t): v for t, v in counts.items()},
            stats.count,
            stats.median_hours,
            stats.p90_hours,
        )
    table = suppress_small_cells(counts, counts)
    enough = stats.count >= K_ANONYMITY
    return RegionalRow(
        cve_id,
        kev,
        total if total >= K_ANONYMITY and _remainder_safe(counts, table.suppressed) else None,
        {str(t): v for t, v in table.cells.items()},
        stats.count if enough else None,
        stats.median_hours if enough else None,
        stats.p90_hours if enough else None,
    )
