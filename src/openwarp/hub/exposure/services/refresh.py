"""Scheduled refresh of each feed from the location a coordinator configured.

A `FeedSource` says where a feed comes from and how often. Its refresh runs on
the worker as a task queued for `next_run_at`; each run queues the next, and
carries the time it was queued for, so a duplicate (tasks run at least once)
or a chain left over from an older schedule sees a different `next_run_at`
and does nothing. Every run is a `FeedRun`: on success the data load and the
re-match; on failure (no internet, a server error, a broken file) the reason,
with the stored data left exactly as the last good run made it.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput, OpenWarpError, PermissionDenied
from openwarp.hub.audit.services import audit_record
from openwarp.hub.exposure.fetch import fetch_feed
from openwarp.hub.exposure.models import Feed, FeedRun, FeedSource
from openwarp.hub.exposure.services.alerts import exposure_refresh_after_load
from openwarp.hub.exposure.services.data import vulnerability_data_load
from openwarp.hub.members.policy.exposure import may_load_vulnerability_data
from openwarp.hub.members.policy_adapters import viewer_for

MAX_INTERVAL_HOURS = 24 * 31
RUN_LIMIT_HOURS = 6  # setting EXPOSURE_FEED_RUN_LIMIT_HOURS; a CVE 5 delta takes minutes


def _require_coordinator(actor: Any) -> None:
    if actor is not None and not may_load_vulnerability_data(viewer_for(actor)):
        raise PermissionDenied("only the hub's coordinators set where feeds come from")


def _schedule(source: FeedSource) -> None:
    """Queue the source's next run, once the change that set `next_run_at` commits."""
    from openwarp.hub.exposure.tasks import exposure_feed_refresh_task

    if not source.enabled or source.next_run_at is None:
        return
    due = source.next_run_at
    transaction.on_commit(
        partial(
            exposure_feed_refresh_task.using(run_after=due).enqueue,
            source_id=source.pk,
            due=due.isoformat(),
        )
    )


@transaction.atomic
def feed_source_save(
    *, actor: Any, feed: str, url: str, interval_hours: int, enabled: bool = True
) -> FeedSource:
    """Set where one feed comes from and how often; the first run is due at once."""
    _require_coordinator(actor)
    if feed not in Feed.values:
        raise InvalidInput(f"{feed!r} is not a feed", field="feed")
    if not url.startswith(("https://", "http://")):
        raise InvalidInput("give an http(s) URL", field="url")
    if not 1 <= interval_hours <= MAX_INTERVAL_HOURS:
        raise InvalidInput(
            f"the interval must be 1 to {MAX_INTERVAL_HOURS} hours", field="interval_hours"
        )
    source, _ = FeedSource.objects.select_for_update().get_or_create(
        feed=feed, defaults={"url": url}
    )
    source.url, source.interval_hours, source.enabled = url, interval_hours, enabled
    source.next_run_at = timezone.now() if enabled else None
    source.save()
    audit_record(
        actor=actor,
        action="exposure.feed_source_save",
        target=source,
        details={"feed": feed, "url": url, "interval_hours": interval_hours, "enabled": enabled},
    )
    _schedule(source)
    return source


def feed_refresh_now(*, actor: Any, source: FeedSource) -> None:
    """Queue one run outside the schedule (the schedule is left as it is)."""
    from openwarp.hub.exposure.tasks import exposure_feed_refresh_task

    _require_coordinator(actor)
    audit_record(actor=actor, action="exposure.feed_refresh_now", target=source, details={})
    transaction.on_commit(partial(exposure_feed_refresh_task.enqueue, source_id=source.pk))


def feed_refresh(*, source_id: int, due: str | None = None, attempt: str = "") -> FeedRun | None:
    """Run one refresh; None when this task is a stale or duplicate schedule entry,
    or the task is back because the worker running it died.

    `attempt` is the task's id. Tasks run at least once: a task whose worker was
    killed is run again by the next worker, and finds its own unfinished run.
    That run is closed as failed and not retried (whatever killed the worker,
    such as a feed too big for its memory, would kill the next one too); a
    scheduled run had already queued the next one, which is queued again in
    case the worker died before it could (a duplicate is ignored)."""
    feed_runs_close_stopped()
    with transaction.atomic():
        source = FeedSource.objects.select_for_update().filter(pk=source_id).first()
        if source is None:
            return None
        if attempt and _close_orphan(source, attempt):
            _schedule(source)
            return None
        if due is not None and not _is_due(source, due):
            return None
        run = FeedRun.objects.create(source=source, task_id=attempt)
        if due is not None:  # claim this slot and queue the next one
            source.next_run_at = timezone.now() + timedelta(hours=source.interval_hours)
            source.save(update_fields=["next_run_at"])
            _schedule(source)
    _run(source, run)
    return run


def run_time_limit() -> timedelta:
    """How long a run may go without a result before it counts as stopped."""
    return timedelta(hours=getattr(settings, "EXPOSURE_FEED_RUN_LIMIT_HOURS", RUN_LIMIT_HOURS))


def feed_runs_close_stopped(*, now: datetime | None = None) -> int:
    """Mark runs with no result after the time limit as failed (their worker died
    and its task was lost, or the run hung); returns how many were closed."""
    now = now or timezone.now()
    limit = run_time_limit()
    hours = round(limit.total_seconds() / 3600, 1)
    closed = 0
    with transaction.atomic():
        stopped = FeedRun.objects.select_for_update().filter(
            finished_at__isnull=True, started_at__lt=now - limit
        )
        for run in stopped.select_related("source"):
            _fail(
                run,
                f"no result after {hours:g} hours: the worker running it stopped or the run hung",
                now,
            )
            closed += 1
    return closed


def _close_orphan(source: FeedSource, attempt: str) -> bool:
    orphans = FeedRun.objects.filter(source=source, task_id=attempt, finished_at__isnull=True)
    found = False
    for run in orphans:
        _fail(
            run,
            "the worker running it stopped before it finished (killed, out of memory "
            "or shut down); it is not retried, the next scheduled run goes ahead",
            timezone.now(),
        )
        found = True
    return found


def _fail(run: FeedRun, reason: str, now: datetime) -> None:
    run.ok, run.finished_at = False, now
    run.message = f"failed; the data of the last good run is kept: {reason}"
    run.save(update_fields=["ok", "finished_at", "message"])
    FeedSource.objects.filter(pk=run.source_id).update(last_error=run.message)


def _is_due(source: FeedSource, due: str) -> bool:
    return (
        source.enabled
        and source.next_run_at is not None
        and source.next_run_at == datetime.fromisoformat(due)
    )


def _run(source: FeedSource, run: FeedRun) -> None:
    started = timezone.now()
    folder = tempfile.mkdtemp(prefix="openwarp-feed-")
    try:
        fetched = fetch_feed(
            source.feed, source.url, Path(folder), since=source.last_success_at, now=started
        )
        load = vulnerability_data_load(
            actor=None,
            cve5_paths=fetched.cve5,
            nvd_paths=fetched.nvd,
            kev_path=fetched.kev,
            epss_path=fetched.epss,
        )
        alerts = exposure_refresh_after_load(load_id=load.pk)
    except OpenWarpError as error:
        message = error.message.replace(f"{folder}/", "")[:2000]
        run.ok, run.message = False, f"failed; the data of the last good run is kept: {message}"
        source.last_error = run.message
    else:
        run.ok, run.load = True, load
        run.message = (
            f"loaded {load.cve_records} CVE records, {len(load.kev_added)} new KEV entries, "
            f"{load.epss_scores} EPSS scores; {alerts} KEV alert(s)"
        )
        source.last_success_at, source.last_error = started, ""
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    run.finished_at = timezone.now()
    run.save()
    FeedSource.objects.filter(pk=source.pk).update(
        last_success_at=source.last_success_at, last_error=source.last_error
    )
