"""Regional and national figures: open incidents and breaches, by organisation type.

Counts come from `core.incidents.aggregates`; the policy says whether the
viewer gets exact figures or figures suppressed below k organisations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from openwarp.core.errors import PermissionDenied
from openwarp.core.incidents.aggregates import (
    Cells,
    IncidentRow,
    breach_rate,
    breaches_by_type_and_year,
    open_by_category_and_type,
    open_by_category_only,
)
from openwarp.core.incidents.categories import NcscCategory
from openwarp.hub.incidents.models import Incident, Status
from openwarp.hub.members.models import Organisation, OrganisationType
from openwarp.hub.members.policy import K_ANONYMITY, Viewer, suppress_small_cells
from openwarp.hub.members.policy.incidents import (
    may_view_regional_figures,
    regional_figures_exact,
)

TYPE_LABELS = dict(OrganisationType.choices)


@dataclass(frozen=True)
class FigureRow:
    label: str
    cells: list[Any]


@dataclass(frozen=True)
class RegionalFigures:
    exact: bool
    categories: list[str]
    open_rows: list[FigureRow]
    years: list[int]
    breach_rows: list[FigureRow]
    suppressed_cells: int


def _rows() -> list[IncidentRow]:
    incidents = Incident.objects.filter(organisation__is_active=True).values_list(
        "organisation_id",
        "organisation__org_type",
        "ncsc_category",
        "detected_at",
        "status",
        "breach__id",
    )
    zone = timezone.get_current_timezone()
    return [
        IncidentRow(
            organisation_id=org,
            organisation_type=org_type,
            category=category,
            year=detected.astimezone(zone).year,
            open=status != Status.CLOSED,
            breach=breach is not None,
        )
        for org, org_type, category, detected, status, breach in incidents
    ]


def _shown(cells: Cells, exact: bool) -> tuple[dict[Any, int | None], int]:
    if exact:
        return dict(cells.counts), 0
    table = suppress_small_cells(cells.counts, cells.organisations)
    return table.cells, len(table.suppressed)


def regional_figures(*, viewer: Viewer) -> RegionalFigures:
    if not may_view_regional_figures(viewer):
        raise PermissionDenied("sign in to see the regional figures")
    exact = regional_figures_exact(viewer)
    rows = _rows()
    open_cells, hidden_open = _shown(open_by_category_and_type(rows), exact)
    breach_cells, hidden_breach = _shown(breaches_by_type_and_year(rows), exact)
    members = dict(
        Organisation.objects.filter(is_active=True)
        .values_list("org_type")
        .annotate(n=Count("id"))
        .values_list("org_type", "n")
    )
    categories = [c.value for c in NcscCategory]
    types = sorted({key[1] for key in open_cells}, key=lambda t: TYPE_LABELS.get(t, t))
    open_rows = [
        FigureRow(TYPE_LABELS.get(t, t), [open_cells.get((c, t), 0) for c in categories])
        for t in types
    ]
    years = sorted({key[1] for key in breach_cells})
    breach_types = sorted({key[0] for key in breach_cells}, key=lambda t: TYPE_LABELS.get(t, t))
    breach_rows = []
    for t in breach_types:
        counts = [breach_cells.get((t, y), 0) for y in years]
        breach_rows.append(
            FigureRow(
                f"{TYPE_LABELS.get(t, t)} ({members.get(t, 0)} members)",
                [(n, breach_rate(n, members.get(t, 0))) for n in counts],
            )
        )
    return RegionalFigures(
        exact=exact,
        categories=categories,
        open_rows=open_rows,
        years=years,
        breach_rows=breach_rows,
        suppressed_cells=hidden_open + hidden_breach,
    )


def open_by_category(*, viewer: Viewer) -> list[tuple[str, int | None]]:
    """Open incidents per NCSC category, for the regional dashboard."""
    if not may_view_regional_figures(viewer):
        raise PermissionDenied("sign in to see the regional figures")
    rows = _rows()
    exact = regional_figures_exact(viewer)
    shown, _ = _shown(open_by_category_only(rows), exact)
    if not exact:
        # A category total beside the category x type table gives away the sum
        # of that category's hidden cells (total minus the cells shown), so it
        # is shown only when that sum is itself at least k, or nothing is hidden.
        cells = open_by_category_and_type(rows)
        by_type, _ = _shown(cells, exact)
        hidden: dict[str, int] = {}
        for (category, kind), value in by_type.items():
            if value is None:
                hidden[category] = hidden.get(category, 0) + cells.counts[(category, kind)]
        shown = {c: (None if 0 < hidden.get(c, 0) < K_ANONYMITY else v) for c, v in shown.items()}
    return [(c.value, shown[c.value]) for c in NcscCategory if c.value in shown]
