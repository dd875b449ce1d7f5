"""Exposure's dashboard panels: a member's due and overdue warnings, the region's
top exposures (suppressed as the regional view is), and the board's counts."""

from __future__ import annotations

from typing import Any

from openwarp.hub.exposure import selectors
from openwarp.hub.exposure.regional import regional_exposure
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.exposure import may_view_warnings, regional_detail
from openwarp.hub.web.panels import Panel


def organisation_panels(viewer: Viewer, organisation: Any) -> list[Panel]:
    if organisation is None or not may_view_warnings(viewer, organisation.pk):
        return []
    summary = selectors.due_summary(viewer=viewer, organisation=organisation)
    alerts = selectors.kev_alerts_for_viewer(viewer=viewer, organisation=organisation).count()
    return [
        Panel(
            "exposure/panels/organisation.html",
            {**summary, "alerts": alerts, "organisation": organisation},
        )
    ]


def region_panels(viewer: Viewer) -> list[Panel]:
    if regional_detail(viewer) is None:
        return []
    view = regional_exposure(viewer=viewer, limit=5)
    return [Panel("exposure/panels/region.html", {"view": view})]


def board_panels(viewer: Viewer, organisation: Any) -> list[Panel]:
    if organisation is None or not may_view_warnings(viewer, organisation.pk):
        return []
    counts = selectors.status_counts(viewer=viewer, organisation=organisation)
    return [Panel("exposure/panels/board.html", {"counts": counts, "organisation": organisation})]
