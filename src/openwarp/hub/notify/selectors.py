"""Reads for webhooks, each checked against the notify policy."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.notify import may_see_webhooks
from openwarp.hub.notify.models import Delivery, Webhook


def organisation_for_webhooks(*, viewer: Viewer, slug: str) -> Organisation:
    """Not found and not allowed read the same, so slugs cannot be probed."""
    organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
    if organisation is None or not may_see_webhooks(viewer, organisation.pk):
        raise NotFound("no such organisation")
    return organisation


def webhooks_for_organisation(*, viewer: Viewer, organisation: Organisation) -> QuerySet[Webhook]:
    if not may_see_webhooks(viewer, organisation.pk):
        raise PermissionDenied("only the organisation's security leads see its webhooks")
    return organisation.webhooks.all()


def webhook_for_viewer(*, viewer: Viewer, public_id: UUID | str) -> Webhook:
    webhook = Webhook.objects.select_related("organisation").filter(public_id=public_id).first()
    if webhook is None or not may_see_webhooks(viewer, webhook.organisation_id):
        raise NotFound("no such webhook")
    return webhook


def recent_deliveries(*, webhook: Webhook, limit: int = 20) -> list[Delivery]:
    return list(webhook.deliveries.order_by("-created_at")[:limit])
