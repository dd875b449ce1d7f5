"""The shared schedule (`hub/jobs/schedule.py`) and the daily jobs on it (`daily.py`):
the digest sent by the worker, once a day, with no cron."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwarp.core.errors import InvalidInput
from openwarp.hub.feeds.fetching import feed_fetch, feed_source_save
from openwarp.hub.feeds.models import FeedRun
from openwarp.hub.feeds.services import feed_create
from openwarp.hub.jobs.daily import daily_jobs_tick, daily_next, daily_time
from openwarp.hub.jobs.models import DailyJob, DailyJobRun, WorkerHeartbeat
from openwarp.hub.jobs.worker import worker_run
from openwarp.hub.members.policy import Role
from openwarp.hub.notify.models import DigestSent
from openwarp.hub.notify.tasks import notify_digest_task
from openwarp.hub.sharing.models import Report
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from openwarp.hub.taxii.models import FederationRun
from openwarp.hub.taxii.schedule import federation_run, federation_schedule_set
from tests.core.feeds.test_fetch import _closed_port
from tests.world import World


def _yesterdays_report(world: World, title: str) -> Report:
    report, _ = report_create(
        actor=world.other_lead,
        draft=ReportDraft(title=title, threat_type="phishing", tlp="green", distribution="region"),
    )
    yesterday = timezone.now().astimezone(UTC).date() - timedelta(days=1)
    noon = datetime.combine(yesterday, time(12), tzinfo=UTC)
    Report.objects.filter(pk=report.pk).update(published_at=noon)
    return report


@pytest.mark.django_db(transaction=True)  # the worker runs what committed transactions queued
def test_the_worker_sends_the_digest_once_a_day_without_cron(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DIGEST_AT = "00:00 UTC"  # today's time has passed whenever the test runs
    _yesterdays_report(world, "Invoice lure from a known sender")
    mail.outbox.clear()
    worker_run(batch=True, interval=0.1)
    (message,) = mail.outbox
    assert message.to == [world.users[Role.SECURITY_LEAD].email]
    assert "Invoice lure from a known sender" in message.body
    [run] = DailyJobRun.objects.all()
    assert run.ok and "1 organisation(s) mailed" in run.message, run.message
    job = DailyJob.objects.get(name="notify.digest")
    tomorrow = datetime.combine(timezone.now().astimezone(UTC).date() + timedelta(1), time(0), UTC)
    assert job.next_run_at == tomorrow
    assert not DBTaskResult.objects.filter(status="READY").exists()  # queued when it comes

    # A second tick of the worker the same day sends nothing and runs nothing.
    worker_run(batch=True, interval=0.1)
    assert daily_jobs_tick() == []
    assert len(mail.outbox) == 1 and DailyJobRun.objects.count() == 1
    # Nor does a duplicate of the day's task (tasks run at least once).
    notify_digest_task.enqueue(job_id=job.pk, due=run.due.isoformat())  # type: ignore[union-attr]
    worker_run(batch=True, interval=0.1)
    assert len(mail.outbox) == 1 and DailyJobRun.objects.count() == 1
    # Even a slot that is claimed again (a clock put back) mails nobody twice.
    DailyJob.objects.filter(pk=job.pk).update(next_run_at=run.due)
    assert daily_jobs_tick() != [] and daily_jobs_tick() == []  # queued once
    worker_run(batch=True, interval=0.1)
    assert (
        DailyJobRun.objects.count() == 2
        and "1 mailed before" in DailyJobRun.objects.first().message
    )  # type: ignore[union-attr]
    assert len(mail.outbox) == 1 and DigestSent.objects.count() == 1


def test_the_digest_time_is_wall_clock_time_and_a_bad_setting_is_named(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DIGEST_AT = "07:00 Europe/London"
    # The clocks go forward on 28 March 2027: 07:00 is 07:00 UTC before, 06:00 after.
    assert daily_next("notify.digest", datetime(2027, 3, 27, 8, tzinfo=UTC)) == datetime(
        2027, 3, 28, 6, tzinfo=UTC
    )
    assert daily_next("notify.digest", datetime(2027, 3, 27, 6, tzinfo=UTC)) == datetime(
        2027, 3, 27, 7, tzinfo=UTC
    )
    settings.DIGEST_AT = "7 o'clock"
    with pytest.raises(InvalidInput, match="DIGEST_AT") as error:
        daily_time("notify.digest")
    assert error.value.field == "DIGEST_AT"


def test_a_federation_run_left_open_by_a_dead_worker_is_closed_by_the_next_run(
    world: World,
) -> None:
    peer = federation_schedule_set(
        actor=world.users[Role.COORDINATOR],
        name="National hub",
        url=f"http://127.0.0.1:{_closed_port()}/",
        token=world.tokens[Role.MEMBER],
        interval_minutes=30,
    )
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="h", pid=1, last_seen=timezone.now() - timedelta(minutes=5)
    )
    WorkerHeartbeat.objects.create(worker_id="alive", hostname="h", pid=2)
    left = FederationRun.objects.create(peer=peer, worker_id="dead")
    busy = FederationRun.objects.create(peer=peer, worker_id="alive")
    run = federation_run(peer_id=peer.pk, due=peer.next_run_at.isoformat())  # type: ignore[union-attr]
    assert run is not None and run.finished_at is not None and not run.ok
    left.refresh_from_db()
    busy.refresh_from_db()
    assert left.interrupted and left.message.startswith("interrupted: the worker running it")
    assert busy.finished_at is None  # its worker is alive: still running
    assert federation_run(peer_id=peer.pk + 1000) is None  # a peer since deleted


def test_a_feed_slot_interrupted_by_dead_workers_is_run_three_times_at_most(
    world: World,
) -> None:
    feed = feed_create(actor=None, name="maltrail static", reliability="C")
    url = f"http://127.0.0.1:{_closed_port()}/trails.tsv"
    feed_source_save(actor=None, feed=feed, source_url=url, source_format="list", interval_hours=6)
    slot = datetime(2026, 11, 30, 6, tzinfo=UTC)  # claimed long ago; next_run_at moved on
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="h", pid=1, last_seen=timezone.now() - timedelta(minutes=5)
    )

    def killed() -> None:  # a run of the slot whose worker was killed
        FeedRun.objects.create(feed=feed, due=slot, worker_id="dead")

    killed()
    killed()
    third = feed_fetch(feed_id=feed.pk, due=slot.isoformat())
    assert third is not None and not third.interrupted
    assert third.state == FeedRun.State.FAILED and "cannot reach" in third.message
    assert feed_fetch(feed_id=feed.pk, due=slot.isoformat()) is None  # it ran to a result
    FeedRun.objects.filter(pk=third.pk).delete()
    killed()
    assert feed_fetch(feed_id=feed.pk, due=slot.isoformat()) is None  # three runs: no more
    assert FeedRun.objects.filter(feed=feed, due=slot, interrupted=True).count() == 3
