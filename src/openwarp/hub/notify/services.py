"""Registering webhooks and telling members' systems about events.

Callers (sharing's early warnings, its AMBER+ deliveries) say *what* happened
to *which* organisation; this module queues one delivery per subscribed
webhook after the transaction commits, and the worker sends it, retrying
with growing pauses. A webhook that keeps failing is switched off.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.core.notify.addresses import check_url
from openwarp.core.notify.signing import new_secret
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import Organisation, User
from openwarp.hub.members.policy.notify import may_manage_webhooks, may_see_webhooks
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.notify.models import Delivery, Webhook, WebhookEvent

MAX_WEBHOOKS = 5
SUBSCRIBABLE = {WebhookEvent.EARLY_WARNING, WebhookEvent.REPORT, WebhookEvent.KEV}


def _checked(actor: User, organisation: Organisation) -> None:
    if not may_manage_webhooks(viewer_for(actor), organisation.pk):
        raise PermissionDenied("only the organisation's security leads manage its webhooks")


def _may_remove(actor: User, webhook: Webhook) -> None:
    """Leads remove their own; the hub's people may too, to stop an abusive one."""
    if not may_see_webhooks(viewer_for(actor), webhook.organisation_id):
        raise PermissionDenied("only the organisation's security leads remove its webhooks")


@transaction.atomic
def webhook_create(
    *, actor: User, organisation: Organisation, url: str, events: list[str]
) -> Webhook:
    """Register an address; its signing secret is on the returned object only now."""
    _checked(actor, organisation)
    check_url(url, allow_http=settings.WEBHOOKS_TO_PRIVATE)
    unknown = sorted(set(events) - {str(e) for e in SUBSCRIBABLE})
    if unknown or not events:
        allowed = ", ".join(sorted(str(e) for e in SUBSCRIBABLE))
        raise InvalidInput(f"choose events among: {allowed}", field="events")
    if organisation.webhooks.count() >= MAX_WEBHOOKS:
        raise InvalidInput(f"an organisation has at most {MAX_WEBHOOKS} webhooks", field="url")
    webhook = Webhook.objects.create(
        organisation=organisation,
        url=url,
        secret=new_secret(),
        events=sorted(set(events)),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="webhook.create",
        target=webhook,
        organisation_id=organisation.pk,
        details={"url": url, "events": webhook.events},
    )
    return webhook


@transaction.atomic
def webhook_delete(*, actor: User, webhook: Webhook) -> None:
    _may_remove(actor, webhook)
    audit_record(
        actor=actor,
        action="webhook.delete",
        target=webhook,
        organisation_id=webhook.organisation_id,
        details={"url": webhook.url},
    )
    webhook.delete()


def webhook_test(*, actor: User, webhook: Webhook) -> Delivery:
    """Queue a harmless event so the member can check its receiver."""
    _checked(actor, webhook.organisation)
    data = {"message": f"Test delivery from {settings.HUB_NAME}", "requested_by": actor.email}
    return _queue(webhook, WebhookEvent.TEST, data)


def notify_organisation(
    *,
    organisation_id: int,
    event: WebhookEvent,
    data: dict[str, Any],
    not_before: datetime | None = None,
) -> int:
    """Queue the event for each active webhook of the organisation that wants it.

    ``data`` must hold only what the organisation may see; this module adds
    nothing of its own but the event's name, the hub and the time. With
    ``not_before`` (an anonymous report's next full hour) nothing leaves earlier.
    """
    webhooks = Webhook.objects.filter(organisation_id=organisation_id, active=True)
    queued = [_queue(w, event, data, not_before) for w in webhooks if str(event) in w.events]
    return len(queued)


def _queue(
    webhook: Webhook, event: WebhookEvent, data: dict[str, Any], not_before: datetime | None = None
) -> Delivery:
    now = timezone.now()
    when = max(now, not_before) if not_before else now
    payload = {
        "event": str(event),
        "hub": settings.HUB_NAME,
        "sent_at": when.isoformat(),
        "data": data,
    }
    delivery = Delivery.objects.create(webhook=webhook, event=event, payload=payload)
    transaction.on_commit(partial(_enqueue, delivery.pk, when - now))
    return delivery


def _enqueue(delivery_id: int, delay: timedelta) -> None:
    from openwarp.hub.notify.tasks import webhook_deliver_task

    run_after = timezone.now() + delay if delay else None
    webhook_deliver_task.using(run_after=run_after).enqueue(delivery_id=delivery_id)


def retry_later(delivery: Delivery, delay: timedelta) -> None:
    transaction.on_commit(partial(_enqueue, delivery.pk, delay))
