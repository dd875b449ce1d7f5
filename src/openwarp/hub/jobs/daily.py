"""Work the worker does once a day at a set time, without cron.

Each daily job is a `DailyJob` row run through the shared schedule
(`schedule.py`). Its slot is the next time of day its setting names
(`DIGEST_AT = "07:00 Europe/London"`); the worker looks as it starts and
every few heartbeats, and queues the task of a slot that has come (once:
not while one is waiting). The run claims the slot and moves it to the next
day, so a second look, or a duplicate task, does nothing. A job seen for
the first time is due at its latest past time, so a hub whose worker was
down at that hour catches up once. The work itself must be idempotent for
its day: a run interrupted by a dead worker is run again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.tasks import TaskContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwarp.core.errors import InvalidInput, OpenWarpError
from openwarp.hub.jobs.models import DailyJob, DailyJobRun
from openwarp.hub.jobs.schedule import Timetable, attempt_of, schedule_claim, schedule_queue

# name: (its task, the setting naming its time of day, the default)
DAILY_JOBS = {
    "notify.digest": ("openwarp.hub.notify.tasks.notify_digest_task", "DIGEST_AT", "07:00"),
}


def daily_time(name: str) -> tuple[time, ZoneInfo]:
    """The job's time of day from its setting, "HH:MM" with an optional time zone."""
    _, setting, default = DAILY_JOBS[name]
    value = str(getattr(settings, setting, "") or default)
    clock, _, zone = value.strip().partition(" ")
    try:
        return time.fromisoformat(clock), ZoneInfo(zone.strip() or settings.TIME_ZONE)
    except (ValueError, KeyError):
        raise InvalidInput(
            f"{setting} = {value!r}: give a time like 07:00 and optionally a zone "
            "like Europe/London",
            field=setting,
        ) from None


def daily_latest(name: str, now: datetime) -> datetime:
    """The job's latest time of day at or before `now`."""
    at, zone = daily_time(name)
    local = now.astimezone(zone)
    slot = datetime.combine(local.date(), at, tzinfo=zone)
    return slot if slot <= local else datetime.combine(local.date() - timedelta(1), at, zone)


def daily_next(name: str, now: datetime) -> datetime:
    """The job's first time of day after `now` (wall-clock: 07:00 stays 07:00 in summer)."""
    at, zone = daily_time(name)
    latest = daily_latest(name, now).astimezone(zone)
    return datetime.combine(latest.date() + timedelta(1), at, tzinfo=zone)


def _close(run: DailyJobRun, reason: str) -> None:
    run.ok, run.message = False, f"interrupted: {reason}"


def daily_timetable(name: str) -> Timetable:
    return Timetable(
        source_model=DailyJob,
        run_model=DailyJobRun,
        source_field="job",
        task=DAILY_JOBS[name][0],
        next_after=lambda job, now: daily_next(job.name, now),
        close=_close,
        attempts=3,
        queue_ahead=False,  # `daily_jobs_tick` queues a slot when it comes
    )


@transaction.atomic
def daily_jobs_tick(*, now: datetime | None = None) -> list[DailyJob]:
    """Queue each daily job whose time has come, once (the worker calls this
    as it starts and every few heartbeats); returns the jobs queued."""
    now = now or timezone.now()
    queued = []
    for name, (task, _, _) in DAILY_JOBS.items():
        job, _ = DailyJob.objects.select_for_update().get_or_create(
            name=name, defaults={"next_run_at": daily_latest(name, now)}
        )
        at, zone = daily_time(name)
        if job.next_run_at is None or job.next_run_at.astimezone(zone).time() != at:
            job.next_run_at = daily_next(name, now)  # its time of day was changed
            job.save(update_fields=["next_run_at"])
        waiting = DBTaskResult.objects.filter(task_path=task, status__in=["READY", "RUNNING"])
        if job.next_run_at <= now and not waiting.exists():
            schedule_queue(daily_timetable(name), job)
            queued.append(job)
    return queued


def daily_job_run(
    name: str,
    context: TaskContext,
    *,
    job_id: int,
    due: str | None,
    work: Callable[[datetime], str],
) -> DailyJobRun | None:
    """Run one daily job's slot: `work(slot)` says in a line what it did."""
    claim = schedule_claim(daily_timetable(name), source_id=job_id, due=due, **attempt_of(context))
    if claim is None:
        return None
    run: DailyJobRun = claim.run
    try:
        run.message, run.ok = work(run.due or run.started_at), True
    except OpenWarpError as error:
        run.message = f"failed: {error.message}"[:2000]
    except Exception as error:  # recorded, then left to the worker's log
        run.message = f"failed with an internal error ({type(error).__name__})"
        raise
    finally:
        run.finished_at = timezone.now()
        run.save()
    return run
