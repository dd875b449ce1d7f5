"""Exposure's links in the header."""

from __future__ import annotations

from django.urls import reverse

from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.exposure import regional_detail
from openwarp.hub.web.panels import NavItem


def items(viewer: Viewer) -> list[NavItem]:
    links = []
    if viewer.organisation_id is not None and not viewer.runs_hub:
        links.append(NavItem("Exposure", reverse("exposure:home")))
    if regional_detail(viewer) is not None:
        links.append(NavItem("Regional exposure", reverse("exposure:region")))
    if viewer.runs_hub:
        links.append(NavItem("Vulnerability data", reverse("exposure:feeds")))
    return links
