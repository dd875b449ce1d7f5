"""A feed refresh whose worker dies, or that never reports back, shows as failed
with the reason, and the schedule carries on.

The worker is a real `openwarp worker` process, killed with SIGKILL while it
waits on a local HTTP server that holds the request open (no test touches the
internet); a second worker then picks up what the first left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwarp.hub.exposure.models import FeedRun, FeedSource, KevEntry
from openwarp.hub.exposure.services.refresh import (
    feed_refresh,
    feed_runs_close_stopped,
    feed_source_save,
)
from openwarp.hub.members.policy import Role
from tests.hub.exposure.conftest import QuietHandler, serve_directory
from tests.world import World

KEV_0720 = "shared/kev/history/kev-2025-07-20.json"


class _Holding(QuietHandler):
    """Holds any `/hold/...` request open until the test lets go, then serves the
    file under it: a feed server that stops answering, and later recovers."""

    held = threading.Event()
    release = threading.Event()

    def do_GET(self) -> None:
        if self.path.startswith("/hold/"):
            _Holding.held.set()
            _Holding.release.wait(60)
            self.path = self.path.removeprefix("/hold")
        super().do_GET()


@pytest.fixture
def holding_server(tmp_path: Path, shared_data: Path) -> Iterator[str]:
    _Holding.held.clear()
    _Holding.release.clear()
    try:
        with serve_directory(tmp_path / "www", shared_data, _Holding) as base:
            yield base
    finally:
        _Holding.release.set()


def _database_url() -> str:
    """Point a worker process at the database this test uses."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host = quote(settings["HOST"], safe="")
    return f"postgres://{quote(settings['USER'])}@{host}/{settings['NAME']}"


def _worker(*args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "openwarp.cli", "worker", "--heartbeat", "0.2"]
    return subprocess.Popen(
        [*command, "--stale-after", "1.5", *args],
        env={**os.environ, "DATABASE_URL": _database_url()},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def _batch(*args: str) -> None:
    worker = _worker("--batch", *args)
    output = worker.communicate(timeout=120)[0].decode()
    assert worker.returncode == 0, output


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_run_whose_worker_is_killed_fails_with_a_reason_and_the_schedule_goes_on(
    world: World, holding_server: str
) -> None:
    source = feed_source_save(
        actor=world.users[Role.COORDINATOR],
        feed="kev",
        url=f"{holding_server}/hold/{KEV_0720}",
        interval_hours=6,
    )
    first = _worker()
    try:
        assert _Holding.held.wait(60), "the worker never fetched"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    [run] = FeedRun.objects.all()
    assert run.finished_at is None  # left "Running" by a worker that no longer exists
    source.refresh_from_db()
    next_run = source.next_run_at
    assert next_run is not None and next_run > timezone.now() + timedelta(hours=5)

    time.sleep(2.0)  # longer than --stale-after: the dead worker's heartbeat is stale
    _batch()  # picks up the task the dead worker held
    run.refresh_from_db()
    assert not run.ok and run.finished_at is not None
    assert "the worker running it stopped before it finished" in run.message
    assert FeedRun.objects.count() == 1  # closed, not fetched again
    source.refresh_from_db()
    assert source.next_run_at == next_run and "worker running it stopped" in source.last_error
    page = world.client(Role.COORDINATOR).get("/exposure/feeds/").content.decode()
    assert "Failed" in page and "Running" not in page

    # Six hours on, the feed server answers again: the next scheduled run happens once.
    _Holding.release.set()
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.exists() and {t.run_after for t in waiting} == {next_run}
    waiting.update(run_after=timezone.now())
    _batch()
    latest = FeedRun.objects.first()
    assert latest is not None and latest.pk != run.pk and latest.ok, latest and latest.message
    assert FeedRun.objects.count() == 2 and KevEntry.objects.count() == 1382


def test_a_run_with_no_result_after_the_time_limit_shows_stopped_then_failed(
    world: World, holding_server: str
) -> None:
    source = feed_source_save(
        actor=world.users[Role.COORDINATOR],
        feed="kev",
        url=f"{holding_server}/{KEV_0720}",
        interval_hours=6,
    )
    # A run whose task was lost with its worker seven hours ago (the limit is six).
    lost = FeedRun.objects.create(source=source, started_at=timezone.now() - timedelta(hours=7))
    young = FeedRun.objects.create(source=source, started_at=timezone.now() - timedelta(hours=1))
    page = world.client(Role.COORDINATOR).get("/exposure/feeds/").content.decode()
    assert page.count(">Stopped<") == 1 and page.count(">Running<") == 1

    run = feed_refresh(source_id=source.pk, due=source.next_run_at.isoformat())  # type: ignore[union-attr]
    assert run is not None and run.ok
    lost.refresh_from_db()
    young.refresh_from_db()
    assert not lost.ok and lost.finished_at is not None
    assert "no result after 6 hours" in lost.message
    assert young.finished_at is None  # still within the limit
    assert feed_runs_close_stopped(now=timezone.now() + timedelta(hours=6)) == 1
    young.refresh_from_db()
    assert "no result after 6 hours" in young.message
    assert FeedSource.objects.get(pk=source.pk).next_run_at is not None
