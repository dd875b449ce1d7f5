"""Fetching feeds on a schedule: where from, how often, and each run's outcome.

A feed with a `source_url` and an interval is fetched by the worker through
the shared schedule (`hub/jobs/schedule.py`: due slots, duplicates, runs
left open by a dead worker, "run now"); a slot interrupted by a dead worker
is run again, up to three runs in all.

Every run is a `FeedRun`. It is created (committed) as running, then the
files are fetched outside any transaction, then imported with the same
all-or-nothing import as an upload - the new cursor (MISP event timestamps,
TAXII `added_after`) is saved in that same transaction, so it never runs
ahead of the data. A failure records why and leaves the data and cursor of
the last good run. Two runs of one feed never import at once: the second
is recorded as skipped.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from datetime import datetime, timedelta
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
from openwarp.hub.jobs.schedule import (
    Claim,
    Timetable,
    schedule_from_now,
    schedule_run,
    schedule_run_now,
)
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Action, may
from openwarp.hub.members.policy_adapters import viewer_for

logger = logging.getLogger(__name__)

MAX_INTERVAL_HOURS = 24 * 31
KEEP_RUNS = 50  # per feed; older runs are deleted as new ones finish


def _next_after(feed: Feed, now: datetime) -> datetime | None:
    return now + timedelta(hours=feed.interval_hours) if feed.interval_hours else None


def _close(run: FeedRun, reason: str) -> None:
    run.state = FeedRun.State.FAILED
    run.message = f"interrupted: {reason}; the data of the last good run is kept"


TIMETABLE = Timetable(
    source_model=Feed,
    run_model=FeedRun,
    source_field="feed",
    task="openwarp.hub.feeds.tasks.feed_fetch_task",
    next_after=_next_after,
    close=_close,
    attempts=3,
    runnable=lambda feed: bool(feed.source_url),
)


def _require_coordinator(actor: User | None) -> None:
    if actor is not None and not may(viewer_for(actor), Action.MANAGE_ORGANISATIONS):
        raise PermissionDenied("only the hub's coordinators set where feeds are fetched from")


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
    schedule_from_now(TIMETABLE, feed)
    feed.save()
    audit_record(
        actor=actor,
        action="feed.source_save",
        target=feed,
        details={"url": source_url, "format": source_format, "interval_hours": interval_hours},
    )
    return feed


def feed_fetch_now(*, actor: User | None, feed: Feed) -> None:
    """Queue one run outside the schedule (the schedule stays as it is)."""
    _require_coordinator(actor)
    if not feed.source_url:
        raise InvalidInput("the feed has no URL to fetch from", field="source_url")
    audit_record(actor=actor, action="feed.fetch_now", target=feed, details={})
    schedule_run_now(TIMETABLE, feed)


def feed_fetch(
    *, feed_id: int, due: str | None = None, task_id: str = "", worker_id: str = ""
) -> FeedRun | None:
    """Run one fetch; None when this task is a stale or duplicate schedule entry."""
    attempt = {"due": due, "task_id": task_id, "worker_id": worker_id}
    return schedule_run(TIMETABLE, _run_unless_busy, source_id=feed_id, **attempt)


def _run_unless_busy(claim: Claim) -> None:
    if claim.busy:  # two runs of one feed at once would import the same values twice
        _finish(
            claim.run, ok=False, message="skipped: another run of this feed was still in progress"
        )
    else:
        _run(claim.source, claim.run)


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
