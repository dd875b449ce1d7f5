"""Scheduled runs: one mechanism for everything the worker does on a timetable.

A *source* (an exposure feed source, a feed, a federation peer, a daily job)
has a `next_run_at`. Its run is a task queued for that time and carrying it
as `due`. The task claims the slot only while `next_run_at` still equals
`due`; the claim moves `next_run_at` on and queues the next task before the
work starts, so a failed or crashed run never stops the schedule, and a
duplicate (tasks run at least once) or a chain left from an older schedule
does nothing. "Run now" queues a task without `due` and leaves the schedule.

Runs left open by a dead worker: every run records the worker running it
(`ScheduledRun`), and before each claim the open runs of the same kind are
looked at. One is closed as interrupted when its task has come back (the
worker gave it up as dead, `worker.py`), when its worker's heartbeat is
stale, or, for a run with no worker (run in a command such as `openwarp
feeds fetch`, or recorded before runs named their worker), when it has had
no result for `JOBS_RUN_LIMIT_HOURS` (default 6). An interrupted slot or
task is run again until `attempts` runs of it were made; then the next slot
goes ahead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import TaskContext
from django.utils import timezone
from django.utils.module_loading import import_string

from openwarp.hub.jobs.worker import workers_live

RUN_LIMIT_HOURS = 6.0
STOPPED = "the worker running it stopped or the run hung"
LEFT_OPEN = "the worker running it stopped before it finished (killed, out of memory or shut down)"


@dataclass(frozen=True)
class Timetable:
    """How one kind of source is run on a schedule; the app keeps the rest."""

    source_model: Any  # a model with `next_run_at`
    run_model: Any  # a subclass of `ScheduledRun`
    source_field: str  # the run's foreign key to its source
    task: str  # dotted path of the task, called with <source_field>_id=<pk>, due=<iso time>
    # The slot after a run claimed at `now`; None when the source is not scheduled.
    next_after: Callable[[Any, datetime], datetime | None]
    # Write a failure reason into a run (and its source) in the app's own words.
    close: Callable[[Any, str], None]
    attempts: int = 1  # runs of one slot or task, counting those interrupted
    queue_ahead: bool = True  # queue the next slot's task as a slot is claimed
    runnable: Callable[[Any], bool] | None = None  # None: always


@dataclass
class Claim:
    source: Any
    run: Any
    busy: bool  # another run of the same source was still open


def run_limit() -> timedelta:
    """How long a run with no worker to judge it by may go without a result."""
    return timedelta(hours=float(getattr(settings, "JOBS_RUN_LIMIT_HOURS", RUN_LIMIT_HOURS)))


def attempt_of(context: TaskContext) -> dict[str, str]:
    """The task's id and its worker, for `schedule_claim`."""
    workers = context.task_result.worker_ids
    return {"task_id": str(context.task_result.id), "worker_id": workers[-1] if workers else ""}


def schedule_queue(timetable: Timetable, source: Any) -> None:
    """Queue the source's next slot once the change that set `next_run_at` commits."""
    due = source.next_run_at
    if due is None or timetable.next_after(source, due) is None:
        return
    task = import_string(timetable.task).using(run_after=due)
    kwargs = {f"{timetable.source_field}_id": source.pk, "due": due.isoformat()}
    transaction.on_commit(partial(task.enqueue, **kwargs))


def schedule_from_now(timetable: Timetable, source: Any) -> None:
    """A source just set: its first run is due at once if it is scheduled at all
    (call before saving it; the task is queued when the change commits)."""
    now = timezone.now()
    source.next_run_at = now if timetable.next_after(source, now) is not None else None
    schedule_queue(timetable, source)


def schedule_run_now(timetable: Timetable, source: Any) -> None:
    """Queue one run outside the schedule (the schedule stays as it is)."""
    task = import_string(timetable.task)
    transaction.on_commit(partial(task.enqueue, **{f"{timetable.source_field}_id": source.pk}))


def _retry_note(timetable: Timetable) -> str:
    if timetable.attempts > 1:
        return f"it is run again, up to {timetable.attempts} times in all"
    return "it is not retried, the next scheduled run goes ahead"


def _interrupt(timetable: Timetable, run: Any, reason: str, now: datetime) -> None:
    run.interrupted, run.finished_at = True, now
    timetable.close(run, reason)
    run.save()


def runs_close_left_open(timetable: Timetable, *, now: datetime | None = None) -> int:
    """Close this kind's runs left open by a worker that died (see above)."""
    now = now or timezone.now()
    live = workers_live()
    limit = run_limit()
    hours = round(limit.total_seconds() / 3600, 1)
    closed = 0
    with transaction.atomic():
        open_runs = timetable.run_model.objects.filter(finished_at__isnull=True)
        for run in open_runs.select_for_update():
            if run.worker_id:
                if run.worker_id in live:
                    continue
                reason = f"{LEFT_OPEN}; {_retry_note(timetable)}"
            elif run.started_at < now - limit:
                reason = f"no result after {hours:g} hours: {STOPPED}"
            else:
                continue
            _interrupt(timetable, run, reason, now)
            closed += 1
    return closed


def _may_run(
    timetable: Timetable, source: Any, runs: Any, slot: datetime | None, task_id: str
) -> bool:
    """Claim the slot (queueing the next), or allow a retry of an interrupted one."""
    if slot is not None and source.next_run_at == slot:
        following = timetable.next_after(source, timezone.now())
        if following is not None:
            source.next_run_at = following
            source.save(update_fields=["next_run_at"])
            if timetable.queue_ahead:
                schedule_queue(timetable, source)
            return True
    if slot is not None:
        tries = list(runs.filter(due=slot).values_list("interrupted", flat=True))
        if not tries:  # a stale or duplicate entry
            return False
    else:
        tries = list(runs.filter(task_id=task_id).values_list("interrupted", flat=True))
        if not task_id or not tries:  # asked for, first time
            return True
    return all(tries) and len(tries) < timetable.attempts


def schedule_claim(
    timetable: Timetable,
    *,
    source_id: int,
    due: str | None = None,
    task_id: str = "",
    worker_id: str = "",
) -> Claim | None:
    """Start a run of one source, or None when this task should do nothing:
    the source is gone or has nothing to run, the entry is stale or a
    duplicate, or its runs were interrupted `attempts` times."""
    runs_close_left_open(timetable)
    slot = datetime.fromisoformat(due) if due else None
    with transaction.atomic():
        source = timetable.source_model.objects.select_for_update().filter(pk=source_id).first()
        if source is None or (timetable.runnable and not timetable.runnable(source)):
            return None
        runs = timetable.run_model.objects.filter(**{timetable.source_field: source})
        if task_id:  # the task is back: its worker was given up as dead
            for run in runs.select_for_update().filter(task_id=task_id, finished_at__isnull=True):
                _interrupt(timetable, run, f"{LEFT_OPEN}; {_retry_note(timetable)}", timezone.now())
        if not _may_run(timetable, source, runs, slot, task_id):
            if timetable.queue_ahead and task_id and runs.filter(task_id=task_id).exists():
                schedule_queue(timetable, source)  # the next slot, in case it was never queued
            return None
        busy = runs.filter(finished_at__isnull=True).exists()
        run = runs.create(
            **{timetable.source_field: source}, due=slot, task_id=task_id, worker_id=worker_id
        )
    return Claim(source, run, busy)


def schedule_run(
    timetable: Timetable, work: Callable[[Claim], None], *, source_id: int, **attempt: Any
) -> Any:
    """Claim (see `schedule_claim`), then `work(claim)`; the run, or None."""
    claim = schedule_claim(timetable, source_id=source_id, **attempt)
    if claim is not None:
        work(claim)
    return None if claim is None else claim.run
