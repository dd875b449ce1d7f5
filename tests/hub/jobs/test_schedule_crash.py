"""A scheduled run whose worker is killed, for each kind of source on the shared
schedule: an exposure feed, a feed and a federation peer.

The worker is a real `openwarp worker` process killed with SIGKILL while it
waits on a local HTTP server that holds the request open (no test touches the
internet); a second worker then picks up the task the first left behind. The
run is closed as interrupted through `hub/jobs/schedule.py`; a feed's slot is
run again (feeds allow three runs of a slot), the others go on to the next
slot; either way the schedule carries on.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwarp.hub.exposure.models import FeedRun as ExposureRun
from openwarp.hub.exposure.services.refresh import feed_source_save as exposure_source_save
from openwarp.hub.feeds.fetching import feed_source_save
from openwarp.hub.feeds.models import FeedRun
from openwarp.hub.feeds.services import feed_create
from openwarp.hub.members.policy import Role
from openwarp.hub.taxii.models import FederationRun
from openwarp.hub.taxii.schedule import federation_schedule_set
from tests.hub.exposure.test_refresh_stopped import _batch, _Holding, _worker, holding_server
from tests.world import World

__all__ = ["holding_server"]  # the fixture, imported for its use below


def _exposure(world: World, base: str) -> tuple[Any, type]:
    source = exposure_source_save(
        actor=world.users[Role.COORDINATOR],
        feed="kev",
        url=f"{base}/hold/shared/kev/history/kev-2025-07-20.json",
        interval_hours=6,
    )
    return source, ExposureRun


def _feed(world: World, base: str) -> tuple[Any, type]:
    feed = feed_create(actor=None, name="maltrail static", reliability="C")
    feed = feed_source_save(
        actor=None,
        feed=feed,
        source_url=f"{base}/hold/trails.tsv",
        source_format="list",
        interval_hours=6,
    )
    return feed, FeedRun


def _peer(world: World, base: str) -> tuple[Any, type]:
    peer = federation_schedule_set(
        actor=world.users[Role.COORDINATOR],
        name="National hub",
        url=f"{base}/hold/taxii2/",
        token=world.tokens[Role.MEMBER],
        interval_minutes=360,
    )
    return peer, FederationRun


KINDS: dict[str, Callable[[World, str], tuple[Any, type]]] = {
    "exposure feed": _exposure,
    "feed": _feed,
    "federation peer": _peer,
}


def _ok(run: Any) -> bool:
    return bool(getattr(run, "ok", None) or getattr(run, "state", None) == "ok")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_a_run_whose_worker_is_killed_is_closed_and_the_schedule_goes_on(
    world: World, holding_server: str, tmp_path: Path, kind: str
) -> None:
    (tmp_path / "www" / "trails.tsv").write_text("evil-c2.example\tmalware/remcos.txt\tmalware\n")
    source, run_model = KINDS[kind](world, holding_server)
    first = _worker()
    try:
        assert _Holding.held.wait(60), "the worker never fetched"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    [crashed] = run_model.objects.all()
    assert crashed.finished_at is None and crashed.worker_id  # left open by a dead worker
    source.refresh_from_db()
    next_run = source.next_run_at
    assert next_run is not None and next_run > timezone.now() + timedelta(hours=5)

    _Holding.release.set()  # the server answers again from now on
    time.sleep(2.0)  # longer than --stale-after: the dead worker's heartbeat is stale
    _batch()  # picks up the task the dead worker held
    crashed.refresh_from_db()
    assert crashed.interrupted and not _ok(crashed) and crashed.finished_at is not None
    assert "the worker running it stopped before it finished" in crashed.message
    runs = list(run_model.objects.order_by("pk"))
    if kind == "feed":  # its slot is run again, and this time it finishes
        assert len(runs) == 2 and runs[1].due == crashed.due and _ok(runs[1]), runs[1].message
        assert "run again" in crashed.message
    else:  # not retried: the next scheduled run goes ahead
        assert runs == [crashed] and "not retried" in crashed.message
    source.refresh_from_db()
    assert source.next_run_at == next_run
    waiting = DBTaskResult.objects.filter(status="READY")
    assert {t.run_after for t in waiting} == {next_run}
