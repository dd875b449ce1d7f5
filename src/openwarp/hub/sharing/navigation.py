"""Sharing's links in the header."""

from __future__ import annotations

from django.urls import reverse

from openwarp.hub.members.policy import Viewer
from openwarp.hub.web.panels import NavItem


def items(viewer: Viewer) -> list[NavItem]:
    links = [NavItem("Feed", reverse("sharing:feed"))]
    if viewer.organisation_id is not None or viewer.runs_hub:
        links.append(NavItem("Early warnings", reverse("sharing:alerts")))
    if viewer.runs_hub:
        links.append(NavItem("Review", reverse("sharing:release_queue")))
    return links
