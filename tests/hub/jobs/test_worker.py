"""Background work survives a worker killed in the middle of a task."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.db import connection

from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.jobs.tasks import hub_selftest

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    """Point a worker subprocess at the database this test is using."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host = quote(settings["HOST"], safe="")
    return f"postgres://{quote(settings['USER'])}@{host}/{settings['NAME']}"


def _worker(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": _database_url()}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openwarp.cli",
            "worker",
            "--heartbeat",
            "0.2",
            "--stale-after",
            "1.5",
            *args,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _status(result_id: str) -> str:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.get(id=result_id).status


def _wait(predicate, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def test_a_task_interrupted_by_kill_9_runs_again_and_completes_once() -> None:
    result = hub_selftest.enqueue(label="interrupted", seconds=4.0)
    first = _worker()
    _wait(lambda: _status(result.id) == "RUNNING")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert _status(result.id) == "RUNNING"  # claimed by a worker that no longer exists
    time.sleep(2.0)  # longer than --stale-after: the dead worker's heartbeat is stale
    second = _worker("--batch")
    assert second.wait(timeout=60) == 0, second.stdout.read() if second.stdout else ""
    assert _status(result.id) == "SUCCESSFUL"
    marks = AuditEntry.objects.filter(action="jobs.selftest", object_id="interrupted")
    assert marks.count() == 1


def test_a_healthy_worker_runs_queued_tasks_and_exits_in_batch_mode() -> None:
    results = [hub_selftest.enqueue(label=f"job-{n}") for n in range(3)]
    worker = _worker("--batch")
    assert worker.wait(timeout=60) == 0
    assert [_status(r.id) for r in results] == ["SUCCESSFUL"] * 3
