"""The coordinators' link to the federation peers page."""

from __future__ import annotations

from django.urls import reverse

from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.taxii import may_see_federation_peers
from openwarp.hub.web.panels import NavItem


def items(viewer: Viewer) -> list[NavItem]:
    if not may_see_federation_peers(viewer):
        return []
    return [NavItem("Federation", reverse("taxii:peers"))]
