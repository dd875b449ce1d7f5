"""The worker's side of webhooks."""

from __future__ import annotations

from django.tasks import task

from openwarp.hub.notify.delivery import delivery_attempt


@task()
def webhook_deliver_task(*, delivery_id: int) -> str:
    return delivery_attempt(delivery_id=delivery_id).state
