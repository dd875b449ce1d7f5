"""Mutual aid's link in the header."""

from __future__ import annotations

from django.urls import reverse

from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.mutualaid import may_use_mutual_aid
from openwarp.hub.web.panels import NavItem


def items(viewer: Viewer) -> list[NavItem]:
    if not may_use_mutual_aid(viewer):
        return []
    return [NavItem("Mutual aid", reverse("mutualaid:requests"))]
