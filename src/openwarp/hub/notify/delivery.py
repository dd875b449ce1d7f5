"""Sending one webhook delivery, and deciding what happens when it fails."""

from __future__ import annotations

import time
from datetime import timedelta

import orjson
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput
from openwarp.core.notify.addresses import check_url, resolve_checked
from openwarp.core.notify.pinned import post
from openwarp.core.notify.signing import SIGNATURE_HEADER, sign
from openwarp.hub.notify.models import Delivery, DeliveryState
from openwarp.hub.notify.services import retry_later

# Pauses before the 2nd, 3rd ... attempt; after the last one the hub gives up.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
SWITCH_OFF_AFTER = 20  # failed deliveries in a row
TIMEOUT_SECONDS = 10


def _post(delivery: Delivery, body: bytes) -> tuple[int | None, str]:
    """(HTTP status, error text); a 2xx status with no error is success."""
    webhook = delivery.webhook
    try:
        host, port = check_url(webhook.url, allow_http=settings.WEBHOOKS_TO_PRIVATE)
    except InvalidInput as error:
        return None, error.message
    address, refused = resolve_checked(host, port, allow_private=settings.WEBHOOKS_TO_PRIVATE)
    if address is None:
        return None, refused
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "openwarp-webhook/1",
        "X-OpenWARP-Event": delivery.event,
        "X-OpenWARP-Delivery": str(delivery.public_id),
        SIGNATURE_HEADER: sign(webhook.secret, int(time.time()), body),
    }
    answer = post(webhook.url, address, body, headers, timeout=TIMEOUT_SECONDS)
    return answer.status, answer.error


def delivery_attempt(*, delivery_id: int) -> Delivery:
    """Try once; on failure, queue the next try or give up."""
    delivery = Delivery.objects.select_related("webhook").get(pk=delivery_id)
    if delivery.state != DeliveryState.PENDING or not delivery.webhook.active:
        return delivery
    status, error = _post(delivery, orjson.dumps(delivery.payload))
    ok = not error and status is not None and 200 <= status < 300
    with transaction.atomic():
        webhook = type(delivery.webhook).objects.select_for_update().get(pk=delivery.webhook_id)
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.response_status = status
        delivery.last_error = error
        if ok:
            delivery.state = DeliveryState.DELIVERED
            webhook.failures_in_a_row = 0
        else:
            webhook.failures_in_a_row += 1
            webhook.active = webhook.failures_in_a_row < SWITCH_OFF_AFTER
            if delivery.attempts <= len(RETRY_DELAYS) and webhook.active:
                retry_later(delivery, RETRY_DELAYS[delivery.attempts - 1])
            else:
                delivery.state = DeliveryState.FAILED
        delivery.save()
        webhook.save(update_fields=["failures_in_a_row", "active"])
    return delivery
