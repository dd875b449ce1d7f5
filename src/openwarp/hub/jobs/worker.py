"""`openwarp worker`: runs queued tasks and never loses one to a dead worker.

django-tasks-db marks a task RUNNING when a worker claims it; if that worker
is killed (OOM, kill -9, power cut) the task would stay RUNNING forever. Each
of our workers keeps a heartbeat row fresh; any worker, at start and then
every few heartbeats, puts RUNNING tasks whose worker has gone quiet back to
READY. Tasks therefore run at least once, so they must be idempotent. At the
same moments it queues daily jobs whose time has come (`daily.py`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from openwarp.hub.jobs.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def daily_jobs_tick() -> None:
    from openwarp.hub.jobs.daily import daily_jobs_tick as tick

    tick()


HEARTBEAT_SECONDS = 5.0
STALE_AFTER = timedelta(seconds=30)
# This process's limit (`openwarp worker --stale-after`), for judging runs too.
_stale_after = STALE_AFTER


def workers_live(*, stale_after: timedelta | None = None) -> set[str]:
    """The ids of workers whose heartbeat is fresh."""
    since = timezone.now() - (stale_after or _stale_after)
    return set(
        WorkerHeartbeat.objects.filter(last_seen__gte=since).values_list("worker_id", flat=True)
    )


def tasks_recover_orphaned(*, stale_after: timedelta = STALE_AFTER) -> int:
    """Put tasks claimed by workers that stopped beating back in the queue."""
    live = workers_live(stale_after=stale_after)
    recovered = 0
    with transaction.atomic():
        for task in DBTaskResult.objects.select_for_update().filter(status="RUNNING"):
            if task.worker_ids and task.worker_ids[-1] in live:
                continue
            task.status = "READY"
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
            recovered += 1
            logger.warning("re-queued task %s left running by a dead worker", task.id)
    WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - stale_after * 10).delete()
    return recovered


class _Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, interval: float, stale_after: timedelta) -> None:
        super().__init__(daemon=True, name="openwarp-heartbeat")
        self.worker_id, self.interval, self.stale_after = worker_id, interval, stale_after
        self.stopped = threading.Event()

    def run(self) -> None:
        beats = 0
        while not self.stopped.wait(self.interval):
            try:
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                    last_seen=timezone.now()
                )
                beats += 1
                if beats % 6 == 0:
                    tasks_recover_orphaned(stale_after=self.stale_after)
                    daily_jobs_tick()
            except Exception:  # keep beating through a database blip
                logger.exception("heartbeat failed")
            finally:
                close_old_connections()
        connection.close()


def worker_run(
    *,
    queues: str = "*",
    interval: float = 1.0,
    batch: bool = False,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
    stale_after: timedelta = STALE_AFTER,
) -> None:
    global _stale_after
    _stale_after = stale_after
    worker_id = uuid.uuid4().hex[:32]
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname=socket.gethostname(), pid=os.getpid()
    )
    recovered = tasks_recover_orphaned(stale_after=stale_after)
    if recovered:
        logger.warning("re-queued %d task(s) from dead workers", recovered)
    daily_jobs_tick()
    heartbeat = _Heartbeat(worker_id, heartbeat_seconds, stale_after)
    heartbeat.start()
    worker = Worker(
        queue_names=queues.split(","),
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    try:
        worker.configure_signals()
        worker.run()
    finally:
        heartbeat.stopped.set()
        heartbeat.join(timeout=heartbeat_seconds * 2)
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
