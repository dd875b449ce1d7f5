"""The worker's side of notifications: webhooks, and the daily digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.tasks import TaskContext, task

from openwarp.hub.jobs.daily import daily_job_run
from openwarp.hub.notify.delivery import delivery_attempt


@task()
def webhook_deliver_task(*, delivery_id: int) -> str:
    return delivery_attempt(delivery_id=delivery_id).state


def _digest(slot: datetime) -> str:
    from openwarp.hub.sharing.services.digest import digest_send

    # The latest whole day (UTC) at the slot's time: at 07:00, yesterday.
    day = slot.astimezone(UTC).date() - timedelta(days=1)
    sent = digest_send(day=day)
    return (
        f"digest of {day.isoformat()}: {sent.sent} organisation(s) mailed, "
        f"{sent.already} mailed before, {sent.reports} report(s) that day"
    )


@task(takes_context=True)
def notify_digest_task(context: TaskContext, *, job_id: int, due: str | None = None) -> int | None:
    """Send the daily digest once a day at `DIGEST_AT` (see `hub/jobs/daily.py`)."""
    run = daily_job_run("notify.digest", context, job_id=job_id, due=due, work=_digest)
    return None if run is None else run.pk
