"""Values every page needs: hub name and the navigation the viewer may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from openwarp.hub.members.policy import Action, may
from openwarp.hub.members.policy_adapters import viewer_for


def navigation(request: HttpRequest) -> list[dict[str, str]]:
    viewer = viewer_for(getattr(request, "user", None))
    if not viewer.signed_in:
        return []
    items = [("Dashboard", reverse("web:dashboard"))]
    items.append(("Feed", reverse("sharing:feed")))
    if viewer.organisation_id is not None or viewer.runs_hub:
        items.append(("Early warnings", reverse("sharing:alerts")))
    if viewer.runs_hub:
        items.append(("Review", reverse("sharing:release_queue")))
    items.append(("Members", reverse("members:organisation_list")))
    if may(viewer, Action.VIEW_BOARD_REPORT):
        items.append(("Board report", reverse("web:board")))
    if may(viewer, Action.VIEW_AUDIT_LOG):
        items.append(("Audit log", reverse("audit:log")))
    items.append(("Your account", reverse("members:account")))
    if may(viewer, Action.USE_DJANGO_ADMIN):
        items.append(("Admin", reverse("admin:index")))
    return [
        {
            "label": label,
            "url": url,
            "current": str(request.path == url or (url != "/" and request.path.startswith(url))),
        }
        for label, url in items
    ]


def hub(request: HttpRequest) -> dict[str, object]:
    return {"hub_name": settings.HUB_NAME, "navigation": navigation(request)}
