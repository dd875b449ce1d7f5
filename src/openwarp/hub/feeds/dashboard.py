"""Feeds' panel on a member's dashboard: feed listings of its own presence."""

from __future__ import annotations

from typing import Any

from openwarp.hub.feeds.selectors import feed_alerts_for_viewer
from openwarp.hub.members.policy import Viewer
from openwarp.hub.web.panels import Panel


def organisation_panels(viewer: Viewer, organisation: Any) -> list[Panel]:
    open_alerts = feed_alerts_for_viewer(viewer=viewer).count()
    if not open_alerts:
        return []
    return [Panel("feeds/panels/open_alerts.html", {"open_alerts": open_alerts})]
