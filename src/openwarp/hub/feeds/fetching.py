"""Fetching feeds on a schedule: where from, how often, and each run's outcome.

A feed with a `source_url` and an interval is fetched by the worker: a task
queued for `next_run_at`, carrying that time, so a duplicate (tasks run at
least once) or a chain left from an older schedule finds a different
`next_run_at` and does nothing; each claimed slot queues the next before the
fetch starts, so a failed or crashed run never stops the schedule.

Every run is a `FeedRun`. It is created (committed) as running, then the
files are fetched outside any transaction, then imported with the same
all-or-nothing import as an upload - the new cursor (MISP event timestamps,
TAXII `added_after`) is saved in that same transaction, so it never runs
ahead of the data. A failure records why and leaves the data and cursor of
the last good run. A run whose worker died stays running only until the
next run of any feed looks: a run is abandoned when the worker that claimed
it stopped beating (`hub/jobs`) or, outside a worker, after `RUN_DEADLINE`.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput, OpenWarpError, PermissionDenied
from openwarp.core.feeds.fetch import Fetched, SourceFormat, fetch_list, fetch_misp, fetch_stix
from openwarp.core.feeds.taxii import fetch_taxii
from openwarp.core.fetching import check_url
from openwarp.hub.audit.services import audit_record
from openwarp.hub.feeds.models import Feed, FeedRun
from openwarp.hub.feeds.services import feed_import_files
from openwarp.hub.jobs.worker import STALE_AFTER
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Action, may
from openwarp.hub.members.policy_adapters import viewer_for

logger = logging.getLogger(__name__)

MAX_INTERVAL_HOURS = 24 * 31
RUN_DEADLINE = timedelta(hours=2)
KEEP_RUNS = 50  # per feed; older runs are deleted as new ones finish


def _require_coordinator(actor: User | None) -> None:
    if actor is not None and not may(viewer_for(actor), Action.MANAGE_ORGANISATIONS):
        raise PermissionDenied("only the hub's coordinators set where feeds are fetched from")


def _schedule(feed: Feed) -> None:
    """Queue the feed's next run once the change that set `next_run_at` commits."""
    from openwarp.hub.feeds.tasks import feed_fetch_task

    if feed.next_run_at is None:
        return
    transaction.on_commit(
        partial(
            feed_fetch_task.using(run_after=feed.next_run_at).enqueue,
            feed_id=feed.pk,
            due=feed.next_run_at.isoformat(),
        )
    )


@transaction.atomic
def feed_source_save(
    *,
    actor: User | None,
    feed: Feed,
    source_url: str,
    source_format: str,
    interval_hours: int,
    auth_token: str | None = None,
) -> Feed:
    """Set where a feed is fetched from and how often (0: only when asked);
    a scheduled feed's first run is due at once. `auth_token` None keeps the old one."""
    _require_coordinator(actor)
    if source_format not in SourceFormat.__members__.values():
        raise InvalidInput(f"{source_format!r} is not a kind of feed source", field="source_format")
    source_url = source_url.strip()
    if source_url:
        try:
            check_url(source_url)
        except OpenWarpError:
            raise InvalidInput("give an http(s) URL", field="source_url") from None
    if not 0 <= interval_hours <= MAX_INTERVAL_HOURS:
        raise InvalidInput(
            f"the interval is 0 to {MAX_INTERVAL_HOURS} hours", field="interval_hours"
        )
    if interval_hours and not source_url:
        raise InvalidInput("a feed fetched on a schedule needs its URL", field="source_url")
    feed = Feed.objects.select_for_update().get(pk=feed.pk)
    if (feed.source_url, feed.source_format) != (source_url, source_format):
        feed.cursor = {}  # a new source starts from its beginning
    feed.source_url, feed.source_format, feed.interval_hours = (
        source_url,
        source_format,
        interval_hours,
    )
    if auth_token is not None:
        feed.auth_token = auth_token.strip()
    feed.next_run_at = timezone.now() if interval_hours else None
    feed.save()
    audit_record(
        actor=actor,
        action="feed.source_save",
        target=feed,
        details={"url": source_url, "format": source_format, "interval_hours": interval_hours},
    )
    _schedule(feed)
    return feed


def feed_fetch_now(*, actor: User | None, feed: Feed) -> None:
    """Queue one run outside the schedule (the schedule stays as it is)."""
    from openwarp.hub.feeds.tasks import feed_fetch_task

    _require_coordinator(actor)
    if not feed.source_url:
        raise InvalidInput("the feed has no URL to fetch from", field="source_url")
    audit_record(actor=actor, action="feed.fetch_now", target=feed, details={})
    transaction.on_commit(partial(feed_fetch_task.enqueue, feed_id=feed.pk))


def feed_runs_close_abandoned(*, live_workers: set[str] | None = None) -> int:
    """Close runs left running by a worker that died (or, outside a worker, too long)."""
    from openwarp.hub.jobs.models import WorkerHeartbeat

    now = timezone.now()
    if live_workers is None:
        live_workers = set(
            WorkerHeartbeat.objects.filter(last_seen__gte=now - STALE_AFTER).values_list(
                "worker_id", flat=True
            )
        )
    closed = 0
    for run in FeedRun.objects.filter(state=FeedRun.State.RUNNING):
        if run.worker_id:
            gone = run.worker_id not in live_workers
        else:
            gone = run.started_at < now - RUN_DEADLINE
        if gone:
            updated = FeedRun.objects.filter(pk=run.pk, state=FeedRun.State.RUNNING).update(
                state=FeedRun.State.FAILED,
                finished_at=now,
                message="interrupted: the run stopped before it finished (the worker "
                "stopped or the run took too long); the data of the last good run is kept",
            )
            closed += updated
    return closed


def feed_fetch(*, feed_id: int, due: str | None = None, worker_id: str = "") -> FeedRun | None:
    """Run one fetch; None when this task is a stale or duplicate schedule entry."""
    feed_runs_close_abandoned()
    with transaction.atomic():
        feed = Feed.objects.select_for_update().filter(pk=feed_id).first()
        if feed is None or not feed.source_url:
            return None
        slot = datetime.fromisoformat(due) if due is not None else None
        if slot is not None and not _claim(feed, slot):
            return None
        busy = FeedRun.objects.filter(feed=feed, state=FeedRun.State.RUNNING).exists()
        skipped = {**_SKIPPED, "finished_at": timezone.now()} if busy else {}
        run = FeedRun.objects.create(feed=feed, due=slot, worker_id=worker_id, **skipped)
    if not busy:
        _run(feed, run)
    return run


# Two runs of one feed at once would import the same values twice over.
_SKIPPED: dict[str, object] = {
    "state": FeedRun.State.FAILED,
    "message": "skipped: another run of this feed was still in progress",
}


def _claim(feed: Feed, slot: datetime) -> bool:
    """Take this schedule slot and queue the next; a slot whose run was
    interrupted (its worker died, the task came back) may be run again."""
    if feed.interval_hours and feed.next_run_at == slot:
        feed.next_run_at = timezone.now() + timedelta(hours=feed.interval_hours)
        feed.save(update_fields=["next_run_at"])
        _schedule(feed)
        return True
    runs = list(FeedRun.objects.filter(feed=feed, due=slot).values_list("state", "message"))
    return (
        bool(runs)
        and all(
            state == FeedRun.State.FAILED and message.startswith("interrupted")
            for state, message in runs
        )
        and len(runs) < 3
    )


def _fetch(feed: Feed, folder: Path) -> Fetched:
    url, cursor = feed.source_url, dict(feed.cursor or {})
    if feed.source_format == SourceFormat.MISP:
        return fetch_misp(url, folder, cursor)
    if feed.source_format == SourceFormat.TAXII:
        return fetch_taxii(url, folder, cursor, feed.auth_token)
    if feed.source_format == SourceFormat.STIX:
        return fetch_stix(url, folder)
    return fetch_list(url, folder)


def _run(feed: Feed, run: FeedRun) -> None:
    folder = tempfile.mkdtemp(prefix="openwarp-feed-fetch-")
    try:
        fetched = _fetch(feed, Path(folder))
        with transaction.atomic():
            summary = feed_import_files(
                actor=None, feed=feed, paths=fetched.paths, label=feed.source_url
            )
            Feed.objects.filter(pk=feed.pk).update(cursor=fetched.cursor)
    except OpenWarpError as error:
        message = error.message.replace(f"{folder}/", "")[:2000]
        _finish(run, ok=False, message=f"failed; the data of the last good run is kept: {message}")
    except Exception as error:  # a bug must still close the run, then be seen in the log
        _finish(run, ok=False, message=f"failed with an internal error ({type(error).__name__})")
        raise
    else:
        counts = {key: summary[key] for key in ("values", "new", "rejected", "alerts")}
        _finish(run, ok=True, message=fetched.note, counts=counts)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _finish(
    run: FeedRun, *, ok: bool, message: str, counts: dict[str, object] | None = None
) -> None:
    run.state = FeedRun.State.OK if ok else FeedRun.State.FAILED
    run.message, run.counts, run.finished_at = message, counts or {}, timezone.now()
    # Only a run still running is closed: one closed as interrupted stays so.
    FeedRun.objects.filter(pk=run.pk, state=FeedRun.State.RUNNING).update(
        state=run.state, message=run.message, counts=run.counts, finished_at=run.finished_at
    )
    kept = FeedRun.objects.filter(feed_id=run.feed_id).order_by("-started_at", "-pk")[:KEEP_RUNS]
    FeedRun.objects.filter(feed_id=run.feed_id).exclude(
        pk__in=list(kept.values_list("pk", flat=True))
    ).delete()
