"""A security lead's link to its organisation's webhooks."""

from __future__ import annotations

from django.urls import reverse

from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.notify import may_manage_webhooks
from openwarp.hub.web.panels import NavItem


def items(viewer: Viewer) -> list[NavItem]:
    if viewer.organisation_id is None or not may_manage_webhooks(viewer, viewer.organisation_id):
        return []
    slug = Organisation.objects.filter(pk=viewer.organisation_id).values_list("slug", flat=True)
    return [NavItem("Webhooks", reverse("notify:webhooks", args=[slug[0]]))] if slug else []
