"""Scheduled refresh of each feed from the location a coordinator configured.

A `FeedSource` says where a feed comes from and how often; the worker runs it
through the shared schedule (`hub/jobs/schedule.py`: due slots, duplicates,
runs left open by a dead worker, "run now"). Every run is a `FeedRun`: on
success the data load and the re-match; on failure (no internet, a server
error, a broken file) the reason, with the stored data left exactly as the
last good run made it. A run interrupted by a dead worker is not retried:
whatever killed the worker (a feed too big for its memory) would kill the
next one too.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput, OpenWarpError, PermissionDenied
from openwarp.hub.audit.services import audit_record
from openwarp.hub.exposure.fetch import fetch_feed
from openwarp.hub.exposure.models import Feed, FeedRun, FeedSource
from openwarp.hub.exposure.services.alerts import exposure_refresh_after_load
from openwarp.hub.exposure.services.data import vulnerability_data_load
from openwarp.hub.jobs.schedule import (
    Timetable,
    runs_close_left_open,
    schedule_from_now,
    schedule_run,
    schedule_run_now,
)
from openwarp.hub.members.policy.exposure import may_load_vulnerability_data
from openwarp.hub.members.policy_adapters import viewer_for

MAX_INTERVAL_HOURS = 24 * 31


def _next_after(source: FeedSource, now: datetime) -> datetime | None:
    return now + timedelta(hours=source.interval_hours) if source.enabled else None


def _close(run: FeedRun, reason: str) -> None:
    run.ok = False
    run.message = f"failed; the data of the last good run is kept: {reason}"
    FeedSource.objects.filter(pk=run.source_id).update(last_error=run.message)


TIMETABLE = Timetable(
    source_model=FeedSource,
    run_model=FeedRun,
    source_field="source",
    task="openwarp.hub.exposure.tasks.exposure_feed_refresh_task",
    next_after=_next_after,
    close=_close,
)


def _require_coordinator(actor: Any) -> None:
    if actor is not None and not may_load_vulnerability_data(viewer_for(actor)):
        raise PermissionDenied("only the hub's coordinators set where feeds come from")


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
    schedule_from_now(TIMETABLE, source)
    source.save()
    audit_record(
        actor=actor,
        action="exposure.feed_source_save",
        target=source,
        details={"feed": feed, "url": url, "interval_hours": interval_hours, "enabled": enabled},
    )
    return source


def feed_refresh_now(*, actor: Any, source: FeedSource) -> None:
    """Queue one run outside the schedule (the schedule is left as it is)."""
    _require_coordinator(actor)
    audit_record(actor=actor, action="exposure.feed_refresh_now", target=source, details={})
    schedule_run_now(TIMETABLE, source)


def feed_refresh(
    *, source_id: int, due: str | None = None, task_id: str = "", worker_id: str = ""
) -> FeedRun | None:
    """Run one refresh; None when this task is a stale or duplicate schedule entry,
    or the task is back because the worker running it died."""
    attempt = {"due": due, "task_id": task_id, "worker_id": worker_id}
    return schedule_run(TIMETABLE, lambda c: _run(c.source, c.run), source_id=source_id, **attempt)


def feed_runs_close_stopped(*, now: datetime | None = None) -> int:
    """Close runs left open by a dead worker, or with no result after the time
    limit (see `hub/jobs/schedule.py`); returns how many were closed."""
    return runs_close_left_open(TIMETABLE, now=now)


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
