"""Incidents' links in the header."""

from __future__ import annotations

from django.urls import reverse

from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.incidents import may_list_incidents
from openwarp.hub.web.panels import NavItem


def items(viewer: Viewer) -> list[NavItem]:
    if may_list_incidents(viewer):
        return [NavItem("Incidents", reverse("incidents:list"))]
    if viewer.signed_in:
        return [NavItem("Incidents", reverse("incidents:figures"))]
    return []
