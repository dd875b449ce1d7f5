"""Feeds' links in the header."""

from __future__ import annotations

from django.urls import reverse

from openwarp.hub.members.policy import Viewer
from openwarp.hub.web.panels import NavItem


def items(viewer: Viewer) -> list[NavItem]:
    return [NavItem("Feeds", reverse("feeds:feed_list"))]
