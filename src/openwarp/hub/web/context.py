"""Values every page needs: hub name and the navigation the viewer may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from openwarp.hub.members.policy import Action, may
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.web.panels import NavItem, capability_nav_items


def navigation(request: HttpRequest) -> list[dict[str, str]]:
    viewer = viewer_for(getattr(request, "user", None))
    if not viewer.signed_in:
        return []
    items = [NavItem("Dashboard", reverse("web:dashboard"))]
    items += capability_nav_items(viewer)
    items.append(NavItem("Members", reverse("members:organisation_list")))
    if viewer.runs_hub or viewer.sharing_group_ids:
        items.append(NavItem("Sharing groups", reverse("members:sharing_groups")))
    if may(viewer, Action.VIEW_BOARD_REPORT):
        items.append(NavItem("Board report", reverse("web:board")))
    if may(viewer, Action.VIEW_AUDIT_LOG):
        items.append(NavItem("Audit log", reverse("audit:log")))
    items.append(NavItem("Your account", reverse("members:account")))
    if may(viewer, Action.USE_DJANGO_ADMIN):
        items.append(NavItem("Admin", reverse("admin:index")))
    return [
        {
            "label": item.label,
            "url": item.url,
            "current": str(
                request.path == item.url or (item.url != "/" and request.path.startswith(item.url))
            ),
        }
        for item in items
    ]


def hub(request: HttpRequest) -> dict[str, object]:
    return {"hub_name": settings.HUB_NAME, "navigation": navigation(request)}
