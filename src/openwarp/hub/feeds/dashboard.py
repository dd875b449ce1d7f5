"""Feeds' panels: warnings on a member's dashboard, listings on the correlation page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openwarp.hub.feeds.selectors import feed_alerts_for_viewer, feed_listings
from openwarp.hub.members.policy import Viewer
from openwarp.hub.web.panels import Panel


def organisation_panels(viewer: Viewer, organisation: Any) -> list[Panel]:
    open_alerts = feed_alerts_for_viewer(viewer=viewer).count()
    if not open_alerts:
        return []
    return [Panel("feeds/panels/open_alerts.html", {"open_alerts": open_alerts})]


def indicator_panels(viewer: Viewer, kind: str, value: str) -> list[Panel]:
    """Which external feeds list the value: correlation beyond members' reports."""
    now = timezone.now()
    listings = feed_listings(viewer=viewer, kind=kind, value=value)[:50]
    rows = [(listing, listing.expires_at <= now) for listing in listings]
    return [Panel("feeds/panels/listings.html", {"listings": rows})]
