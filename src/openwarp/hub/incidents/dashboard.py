"""Incident panels: a member's open incidents with their clocks; the region's by category."""

from __future__ import annotations

from typing import Any

from openwarp.hub.incidents.selectors.channel import posts_awaiting_review
from openwarp.hub.incidents.selectors.figures import open_by_category
from openwarp.hub.incidents.selectors.incidents import open_with_clocks
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.incidents import may_list_incidents
from openwarp.hub.web.panels import Panel


def organisation_panels(viewer: Viewer, organisation: Any) -> list[Panel]:
    if not may_list_incidents(viewer):
        return []
    rows = open_with_clocks(viewer=viewer, organisation_id=organisation.pk)
    if not rows:
        return []
    return [Panel("incidents/panels/org_incidents.html", {"rows": rows})]


def board_panels(viewer: Viewer, organisation: Any) -> list[Panel]:
    return organisation_panels(viewer, organisation)


def region_panels(viewer: Viewer) -> list[Panel]:
    waiting = len(posts_awaiting_review(viewer=viewer)) if viewer.runs_hub else 0
    return [
        Panel(
            "incidents/panels/region_incidents.html",
            {"by_category": open_by_category(viewer=viewer), "waiting": waiting},
        )
    ]
