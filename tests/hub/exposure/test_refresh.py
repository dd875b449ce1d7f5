"""Scheduled feed refresh, against a local HTTP server: no test touches the internet.

The server's root holds a link to ../shared/data (served where it is, never
copied) beside the few files the test writes: a cvelistV5-style delta.json, an
NVD API page and an EPSS file.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import orjson
import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwarp.core.errors import PermissionDenied
from openwarp.hub.exposure.models import (
    EpssScore,
    ExposureWarning,
    FeedRun,
    FeedSource,
    KevEntry,
    Vulnerability,
)
from openwarp.hub.exposure.services.refresh import feed_refresh, feed_source_save
from openwarp.hub.jobs.worker import worker_run
from openwarp.hub.members.policy import Role
from tests.hub.exposure.conftest import QuietHandler, add_rows, serve_directory
from tests.hub.exposure.test_sources import WHATSUP, nvd_response
from tests.world import World

KEV_0720 = "shared/kev/history/kev-2025-07-20.json"
KEV_NOW = "shared/kev/known_exploited_vulnerabilities.json"


@pytest.fixture
def server(tmp_path: Path, shared_data: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    with serve_directory(root, shared_data, QuietHandler) as base:
        yield base, root


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _due(source: FeedSource) -> str:
    assert source.next_run_at is not None
    return source.next_run_at.isoformat()


@pytest.mark.django_db(transaction=True)  # the worker runs what committed transactions queued
def test_the_worker_fetches_kev_on_schedule_and_queues_the_next_run(
    world: World, server: tuple[str, Path]
) -> None:
    base, _ = server
    source = feed_source_save(
        actor=world.users[Role.COORDINATOR], feed="kev", url=f"{base}/{KEV_0720}", interval_hours=6
    )
    worker_run(batch=True, interval=0.1)
    assert KevEntry.objects.count() == 1382
    [run] = FeedRun.objects.all()
    assert run.ok and "loaded 0 CVE records" in run.message
    source.refresh_from_db()
    assert source.last_success_at is not None and source.last_error == ""
    assert source.next_run_at is not None
    assert timedelta(hours=5.9) < source.next_run_at - timezone.now() <= timedelta(hours=6)
    waiting = DBTaskResult.objects.filter(status="READY")
    assert [t.run_after for t in waiting] == [source.next_run_at]


def test_offline_the_run_fails_clearly_and_the_last_good_data_stays(
    world: World, server: tuple[str, Path]
) -> None:
    base, _ = server
    coordinator = world.users[Role.COORDINATOR]
    source = feed_source_save(
        actor=coordinator, feed="kev", url=f"{base}/{KEV_0720}", interval_hours=24
    )
    assert feed_refresh(source_id=source.pk, due=_due(source)).ok  # type: ignore[union-attr]
    offline = f"http://127.0.0.1:{_closed_port()}/known_exploited_vulnerabilities.json"
    source = feed_source_save(actor=coordinator, feed="kev", url=offline, interval_hours=24)
    run = feed_refresh(source_id=source.pk, due=_due(source))
    assert run is not None and not run.ok
    assert run.message.startswith("failed; the data of the last good run is kept: cannot reach")
    assert KevEntry.objects.count() == 1382
    source.refresh_from_db()
    assert "cannot reach" in source.last_error and source.next_run_at is not None
    page = world.client(Role.COORDINATOR).get("/exposure/feeds/").content.decode()
    assert "cannot reach http://127.0.0.1" in page


def test_a_later_catalogue_fetched_raises_kev_alerts_like_a_file_load(
    world: World, server: tuple[str, Path], sample_dir: Path
) -> None:
    base, _ = server
    coordinator = world.users[Role.COORDINATOR]
    source = feed_source_save(
        actor=coordinator, feed="kev", url=f"{base}/{KEV_0720}", interval_hours=1
    )
    feed_refresh(source_id=source.pk, due=_due(source))
    source = feed_source_save(
        actor=coordinator, feed="kev", url=f"{base}/{KEV_NOW}", interval_hours=1
    )
    run = feed_refresh(source_id=source.pk, due=_due(source))
    assert run is not None and run.ok and "22 new KEV entries" in run.message


def test_a_duplicate_or_stale_schedule_entry_does_nothing(
    world: World, server: tuple[str, Path]
) -> None:
    base, _ = server
    source = feed_source_save(
        actor=world.users[Role.COORDINATOR], feed="kev", url=f"{base}/{KEV_0720}", interval_hours=24
    )
    due = _due(source)
    assert feed_refresh(source_id=source.pk, due=due) is not None
    assert feed_refresh(source_id=source.pk, due=due) is None  # the same slot again
    assert FeedRun.objects.count() == 1


def test_the_cve5_delta_and_nvd_and_epss_sources(world: World, server: tuple[str, Path]) -> None:
    base, root = server
    add_rows(world.own, [WHATSUP])
    delta = {
        "fetchTime": "2025-08-25T01:00:00.000Z",
        "numberOfChanges": 2,
        "new": [{"cveId": "CVE-2024-5009", "githubLink": "shared/cve5/sample/CVE-2024-5009.json"}],
        "updated": [
            {
                "cveId": "CVE-2024-2466",
                "githubLink": f"{base}/shared/cve5/sample/CVE-2024-2466.json",
            }
        ],
        "error": [],
    }
    (root / "delta.json").write_bytes(orjson.dumps(delta))
    (root / "nvd.json").write_bytes(orjson.dumps(nvd_response()))
    (root / "epss.csv").write_text("cve,epss,percentile\nCVE-2024-5009,0.5,0.9\n")
    coordinator = world.users[Role.COORDINATOR]
    runs = {}
    for feed, path in (("cve5", "delta.json"), ("nvd", "nvd.json"), ("epss", "epss.csv")):
        source = feed_source_save(
            actor=coordinator, feed=feed, url=f"{base}/{path}", interval_hours=1
        )
        runs[feed] = feed_refresh(source_id=source.pk, due=_due(source))
    assert all(r is not None and r.ok for r in runs.values()), [
        r.message for r in runs.values() if r
    ]
    assert set(Vulnerability.objects.values_list("cve_id", flat=True)) == {
        "CVE-2024-5009",
        "CVE-2024-2466",
    }
    stored = Vulnerability.objects.get(cve_id="CVE-2024-5009")
    assert stored.configurations and {e["s"] for e in stored.affected} >= {"cna"}
    assert EpssScore.objects.get(cve_id="CVE-2024-5009").probability == 0.5
    warning = ExposureWarning.objects.get(organisation=world.own, cve_id="CVE-2024-5009")
    assert warning.evidence["source"] == "nvd" and warning.evidence["epss"] == 0.5


def test_a_broken_fetched_file_is_named_and_nothing_is_stored(
    world: World, server: tuple[str, Path]
) -> None:
    base, root = server
    (root / "delta.json").write_bytes(
        orjson.dumps({"new": [{"githubLink": "file:///etc/passwd"}], "updated": []})
    )
    (root / "nvd.json").write_text('{"vulnerabilities": [{"cve": {}}]}')
    coordinator = world.users[Role.COORDINATOR]
    for feed, path, said in (
        ("cve5", "delta.json", "file:///etc/passwd: only http and https URLs are fetched"),
        ("nvd", "nvd.json", "$.vulnerabilities[0].cve.id: missing"),
    ):
        source = feed_source_save(
            actor=coordinator, feed=feed, url=f"{base}/{path}", interval_hours=1
        )
        run = feed_refresh(source_id=source.pk, due=_due(source))
        assert run is not None and not run.ok and said in run.message
    assert not Vulnerability.objects.exists()


def test_only_coordinators_set_sources(world: World) -> None:
    with pytest.raises(PermissionDenied):
        feed_source_save(
            actor=world.users[Role.SECURITY_LEAD],
            feed="kev",
            url="https://www.cisa.gov/x.json",
            interval_hours=24,
        )
    assert not FeedSource.objects.exists()


def test_refresh_now_runs_once_and_leaves_the_schedule_alone(
    world: World, server: tuple[str, Path]
) -> None:
    base, _ = server
    source = feed_source_save(
        actor=world.users[Role.COORDINATOR], feed="kev", url=f"{base}/{KEV_0720}", interval_hours=24
    )
    scheduled = source.next_run_at
    response = world.client(Role.COORDINATOR).post(
        f"/exposure/feeds/sources/{source.pk}/run/", follow=True
    )
    assert "a refresh is queued for the worker" in response.content.decode()
    run = feed_refresh(source_id=source.pk)  # what the queued task does
    assert run is not None and run.ok
    source.refresh_from_db()
    assert source.next_run_at == scheduled and KevEntry.objects.count() == 1382
