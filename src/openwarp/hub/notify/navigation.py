"""Links to one's own e-mail choices and, for a security lead, to its
organisation's webhooks."""

from __future__ import annotations

from django.urls import reverse

from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.notify import may_choose_mail, may_manage_webhooks
from openwarp.hub.web.panels import NavItem


def items(viewer: Viewer) -> list[NavItem]:
    found = [NavItem("E-mails", reverse("notify:mail"))] if may_choose_mail(viewer) else []
    if viewer.organisation_id is None or not may_manage_webhooks(viewer, viewer.organisation_id):
        return found
    slug = Organisation.objects.filter(pk=viewer.organisation_id).values_list("slug", flat=True)
    return (
        [*found, NavItem("Webhooks", reverse("notify:webhooks", args=[slug[0]]))] if slug else found
    )
