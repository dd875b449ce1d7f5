"""Sharing's panel on a member's dashboard: early warnings waiting for it."""

from __future__ import annotations

from typing import Any

from openwarp.hub.members.policy import Viewer
from openwarp.hub.sharing.selectors import alerts_for_viewer
from openwarp.hub.web.panels import Panel


def organisation_panels(viewer: Viewer, organisation: Any) -> list[Panel]:
    open_alerts = alerts_for_viewer(viewer=viewer).count()
    if not open_alerts:
        return []
    return [Panel("sharing/panels/open_alerts.html", {"open_alerts": open_alerts})]
