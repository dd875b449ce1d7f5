"""Pieces that capabilities add to shared pages: navigation and dashboard panels.

An app may have `navigation.py` with `items(viewer) -> list[NavItem]` (links it
adds to the header, in app order between Dashboard and Members) and
`dashboard.py` with any of `organisation_panels(viewer, organisation)`,
`region_panels(viewer)`, `board_panels(viewer, organisation)` and
`indicator_panels(viewer, kind, value)` (the correlation page) and
`incident_panels(viewer, incident)` (an incident's page), each
returning a list of `Panel`. The web app then needs no change per capability.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openwarp.hub.capabilities import capability_modules


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


@dataclass(frozen=True)
class Panel:
    """A template fragment and what it shows; rendered in app order."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


def capability_nav_items(viewer: Any) -> list[NavItem]:
    items: list[NavItem] = []
    for _, module in capability_modules("navigation"):
        items += module.items(viewer)
    return items


def capability_panels(kind: str, *args: Any) -> list[Panel]:
    """Every app's `<kind>_panels(*args)`, e.g. kind "organisation"."""
    panels: list[Panel] = []
    for _, module in capability_modules("dashboard"):
        make = getattr(module, f"{kind}_panels", None)
        if make is not None:
            panels += make(*args)
    return panels
