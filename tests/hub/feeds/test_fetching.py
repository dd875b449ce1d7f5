"""Feeds fetched from their URL by the worker, against a local HTTP server."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import timedelta
from itertools import islice
from pathlib import Path

import orjson
import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.hub.feeds.fetching import feed_fetch, feed_source_save
from openwarp.hub.feeds.models import Feed, FeedAlert, FeedIndicator, FeedRun
from openwarp.hub.feeds.services import feed_create
from openwarp.hub.jobs.models import WorkerHeartbeat
from openwarp.hub.jobs.worker import worker_run
from openwarp.hub.members.policy import Role
from tests.core.feeds.http_server import Served, serve
from tests.core.feeds.test_fetch import EVENT_A, EVENT_B, _closed_port, _publish
from tests.world import World

TRAILS = (
    "evil-c2.example\tmalware/remcos.txt\tmalware\n"
    "198.51.100.23:4444\tmalware/asyncrat.txt\tmalware\n"
)


@pytest.fixture
def server(tmp_path: Path, shared_data: Path) -> Iterator[Served]:
    root = tmp_path / "www"
    root.mkdir()
    (root / "shared").symlink_to(shared_data)  # served in place, never copied
    (root / "trails.tsv").write_text(TRAILS)
    with serve(root) as served:
        yield served


@pytest.fixture
def feed(world: World) -> Feed:
    return feed_create(actor=None, name="maltrail static", reliability="C", expiry_days=10)


def _due(feed: Feed) -> str:
    feed.refresh_from_db()
    assert feed.next_run_at is not None
    return feed.next_run_at.isoformat()


def _source(feed: Feed, url: str, fmt: str = "list", hours: int = 6, **extra: str) -> Feed:
    return feed_source_save(
        actor=None, feed=feed, source_url=url, source_format=fmt, interval_hours=hours, **extra
    )


@pytest.mark.django_db(transaction=True)  # the worker runs what committed transactions queued
def test_the_worker_fetches_a_gzipped_maltrail_slice_and_queues_the_next_run(
    world: World, server: Served, tmp_path: Path, shared_data: Path
) -> None:
    with gzip.open(shared_data / "iocs" / "maltrail-static.tsv.gz", "rt") as handle:
        lines = list(islice(handle, 5000))
    with gzip.open(server.root / "static.tsv.gz", "wt") as out:
        out.writelines(lines)
    feed = feed_create(actor=None, name="maltrail static", reliability="C")
    _source(feed, f"{server.url}/static.tsv.gz")
    worker_run(batch=True, interval=0.1)
    [run] = FeedRun.objects.all()
    assert run.state == FeedRun.State.OK and run.finished_at is not None
    assert run.counts["values"] == FeedIndicator.objects.count() > 4000  # type: ignore[operator]
    assert run.worker_id  # claimed by a real worker, so a crash can be told apart
    feed.refresh_from_db()
    assert feed.next_run_at is not None
    assert timedelta(hours=5.9) < feed.next_run_at - timezone.now() <= timedelta(hours=6)
    waiting = DBTaskResult.objects.filter(status="READY")
    assert [t.run_after for t in waiting] == [feed.next_run_at]


def test_a_run_imports_warns_and_a_duplicate_slot_does_nothing(
    world: World, feed: Feed, server: Served
) -> None:
    _source(feed, f"{server.url}/trails.tsv")
    due = _due(feed)
    run = feed_fetch(feed_id=feed.pk, due=due)
    assert run is not None and run.state == FeedRun.State.OK
    assert run.counts == {"values": 2, "new": 2, "rejected": 0, "alerts": 1}
    assert FeedAlert.objects.get().organisation == world.other
    assert feed_fetch(feed_id=feed.pk, due=due) is None  # the same slot again
    assert FeedRun.objects.count() == 1
    listing = world.client(Role.COORDINATOR).get("/feeds/").content.decode()
    assert "Imported" in listing and "2 values, 2 new" in listing and "Next run" in listing
    assert "Next run" not in world.client(Role.MEMBER).get("/feeds/").content.decode()


def test_offline_the_run_fails_clearly_keeps_the_data_and_the_schedule(
    world: World, feed: Feed, server: Served
) -> None:
    _source(feed, f"{server.url}/trails.tsv")
    feed_fetch(feed_id=feed.pk, due=_due(feed))
    offline = f"http://127.0.0.1:{_closed_port()}/trails.tsv"
    _source(feed, offline)
    run = feed_fetch(feed_id=feed.pk, due=_due(feed))
    assert run is not None and run.state == FeedRun.State.FAILED
    assert run.message.startswith(
        f"failed; the data of the last good run is kept: cannot reach {offline}"
    )
    assert FeedIndicator.objects.filter(feed=feed).count() == 2
    feed.refresh_from_db()
    assert feed.next_run_at is not None and feed.next_run_at > timezone.now()
    page = world.client(Role.COORDINATOR).get(f"/feeds/{feed.slug}/").content.decode()
    assert "cannot reach http://127.0.0.1" in page and "Failed" in page


def test_a_broken_file_changes_nothing(world: World, feed: Feed, server: Served) -> None:
    (server.root / "broken.json").write_text('{"type": "bundle", "objects": [')
    _source(feed, f"{server.url}/broken.json", fmt="stix")
    run = feed_fetch(feed_id=feed.pk, due=_due(feed))
    assert run is not None and run.state == FeedRun.State.FAILED and "broken JSON" in run.message
    assert FeedIndicator.objects.count() == 0


def test_a_misp_directory_imports_changed_events_and_keeps_its_cursor_only_when_good(
    world: World, feed: Feed, server: Served
) -> None:
    _publish(server.root, {EVENT_A: (100, ["a.example"]), EVENT_B: (200, ["b.example"])})
    _source(feed, f"{server.url}/misp", fmt="misp")
    first = feed_fetch(feed_id=feed.pk)
    assert first is not None and first.state == FeedRun.State.OK, first.message
    assert set(FeedIndicator.objects.values_list("value", flat=True)) == {"a.example", "b.example"}
    # The server breaks B's new version: the run fails and the cursor stays where it was.
    (server.root / "misp" / f"{EVENT_B}.json").write_text("{")
    manifest = orjson.loads((server.root / "misp" / "manifest.json").read_bytes())
    manifest[EVENT_B]["timestamp"] = "300"
    (server.root / "misp" / "manifest.json").write_bytes(orjson.dumps(manifest))
    failed = feed_fetch(feed_id=feed.pk)
    assert failed is not None and failed.state == FeedRun.State.FAILED
    feed.refresh_from_db()
    assert feed.cursor["events"][EVENT_B] == 200
    _publish(server.root, {EVENT_A: (100, ["a.example"]), EVENT_B: (300, ["b2.example"])})
    server.asked.clear()
    again = feed_fetch(feed_id=feed.pk)
    assert again is not None and again.state == FeedRun.State.OK
    assert server.asked == ["/misp/manifest.json", f"/misp/{EVENT_B}.json"]
    assert FeedIndicator.objects.filter(value="b2.example").exists()


def test_a_run_left_running_by_a_dead_worker_is_closed_and_its_slot_run_again(
    world: World, feed: Feed, server: Served
) -> None:
    _source(feed, f"{server.url}/trails.tsv")
    due = _due(feed)
    # A worker claimed the slot (next_run_at moved on), then was killed mid-run.
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="h", pid=1, last_seen=timezone.now() - timedelta(minutes=5)
    )
    Feed.objects.filter(pk=feed.pk).update(next_run_at=timezone.now() + timedelta(hours=6))
    crashed = FeedRun.objects.create(feed=feed, due=feed.next_run_at, worker_id="dead")
    FeedRun.objects.filter(pk=crashed.pk).update(due=due)
    # The task comes back (the worker recovers orphaned tasks) and runs the slot.
    retried = feed_fetch(feed_id=feed.pk, due=due, worker_id="alive")
    crashed.refresh_from_db()
    assert crashed.state == FeedRun.State.FAILED and crashed.message.startswith("interrupted")
    assert retried is not None and retried.state == FeedRun.State.OK


def test_a_run_outside_a_worker_is_closed_after_the_deadline(world: World, feed: Feed) -> None:
    stuck = FeedRun.objects.create(feed=feed, started_at=timezone.now() - timedelta(hours=7))
    fresh = FeedRun.objects.create(feed=feed)
    feed_fetch(feed_id=feed.pk)  # no URL: nothing to fetch, but old runs are looked at
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.state == FeedRun.State.FAILED and fresh.state == FeedRun.State.RUNNING


def test_only_coordinators_set_a_source_and_only_http_urls(world: World, feed: Feed) -> None:
    with pytest.raises(PermissionDenied):
        feed_source_save(
            actor=world.users[Role.SECURITY_LEAD],
            feed=feed,
            source_url="https://feed.example/list.txt",
            source_format="list",
            interval_hours=1,
        )
    with pytest.raises(InvalidInput) as error:
        _source(feed, "file:///etc/passwd")
    assert error.value.field == "source_url"
    with pytest.raises(InvalidInput):
        _source(feed, "https://feed.example/x", fmt="ftp")


def test_values_marked_stricter_than_the_feed_are_left_out_and_counted(
    world: World, feed: Feed, tmp_path: Path
) -> None:
    bundle = {
        "Event": {
            "info": "partner sharing",
            "Tag": [{"name": "tlp:amber"}],
            "Attribute": [{"type": "domain", "value": "amber-only.example", "to_ids": True}],
        }
    }
    path = tmp_path / "event.json"
    path.write_bytes(orjson.dumps(bundle))
    from openwarp.hub.feeds.services import feed_import

    summary = feed_import(actor=None, feed=feed, path=path)  # the feed is TLP:CLEAR
    assert summary["values"] == 0 and summary["rejected"] == 1
    assert summary["rejected_by_reason"] == {"marked stricter than the feed's TLP:CLEAR": 1}
    assert not FeedIndicator.objects.exists()


def test_the_coordinator_sets_the_source_on_the_page_and_fetch_now_queues_a_run(
    world: World, feed: Feed, server: Served, django_capture_on_commit_callbacks
) -> None:
    client = world.client(Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/feeds/{feed.slug}/source/",
            {
                "source_format": "misp",
                "source_url": f"{server.url}/misp",
                "interval_hours": "12",
                "auth_token": "",
            },
        )
    assert response.status_code == 302
    feed.refresh_from_db()
    assert (feed.source_format, feed.interval_hours) == ("misp", 12)
    assert feed.next_run_at is not None
    assert DBTaskResult.objects.filter(run_after=feed.next_run_at).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/feeds/{feed.slug}/fetch/")
    assert DBTaskResult.objects.count() == 2
    page = client.get(f"/feeds/{feed.slug}/").content.decode()
    assert "Every 12 hours" in page and "Fetch now" in page
    member_page = world.client(Role.MEMBER).get(f"/feeds/{feed.slug}/").content.decode()
    assert "Fetch now" not in member_page and "Latest runs" not in member_page


def test_a_second_run_while_one_is_in_progress_is_skipped_and_says_so(
    world: World, feed: Feed, server: Served
) -> None:
    _source(feed, f"{server.url}/trails.tsv", hours=0)
    FeedRun.objects.create(feed=feed, worker_id="busy")
    WorkerHeartbeat.objects.create(worker_id="busy", hostname="h", pid=1)
    run = feed_fetch(feed_id=feed.pk, worker_id="other")
    assert run is not None and run.state == FeedRun.State.FAILED
    assert run.message.startswith("skipped") and run.finished_at is not None
    assert not FeedIndicator.objects.exists()


def test_a_source_that_is_not_http_is_refused_on_the_page_naming_the_field(
    world: World, feed: Feed
) -> None:
    response = world.client(Role.COORDINATOR).post(
        f"/feeds/{feed.slug}/source/",
        {"source_format": "list", "source_url": "ftp://feed.example/x.txt", "interval_hours": "1"},
    )
    assert response.status_code == 400
    assert 'id="id_source_url-error"' in response.content.decode()
    assert "give an http(s) URL" in response.content.decode()
    feed.refresh_from_db()
    assert feed.source_url == "" and feed.next_run_at is None
