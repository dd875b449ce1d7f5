"""Federation on a schedule: the worker's runs, their cursor and their failures.

The peer is this hub itself, served over HTTP by the live server: its own
reports come back refused (a peer may not change them), which is enough to
see a real pull read every page, move the cursor and record the run.
"""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.models import Report
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from openwarp.hub.taxii.models import FederationRun, Peer
from openwarp.hub.taxii.schedule import federation_run, federation_schedule_set
from tests.world import World


def _closed_port() -> str:
    """An address on this machine where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"


def _federated(world: World, value: str) -> Report:
    report, _ = report_create(
        actor=world.users[Role.SECURITY_LEAD],
        draft=ReportDraft(
            title=f"Federated {value}",
            threat_type="phishing",
            tlp="green",
            distribution="federation",
            indicators_text=value,
        ),
    )
    return report


def _queued(peer: Peer) -> list[DBTaskResult]:
    return [
        task
        for task in DBTaskResult.objects.filter(status="READY")
        if task.args_kwargs.get("kwargs", {}).get("peer_id") == peer.pk
    ]


def _schedule(world: World, url: str, **options: object) -> Peer:
    fields: dict[str, object] = {
        "name": "National hub",
        "token": world.tokens[Role.MEMBER],
        "interval_minutes": 30,
        **options,
    }
    return federation_schedule_set(actor=world.users[Role.COORDINATOR], url=url, **fields)  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_only_the_hubs_coordinators_schedule_federation(world: World) -> None:
    with pytest.raises(PermissionDenied):
        federation_schedule_set(
            actor=world.users[Role.SECURITY_LEAD],
            name="National hub",
            url="https://national.example/",
            token="owp_x",
            interval_minutes=60,
        )
    with pytest.raises(InvalidInput, match="interval"):
        _schedule(world, "https://national.example/", interval_minutes=1)
    with pytest.raises(InvalidInput, match="token"):
        _schedule(world, "https://national.example/", token="")
    assert not Peer.objects.exists()  # nothing half-made


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_scheduled_pull_reads_the_peer_moves_the_cursor_and_queues_the_next(
    live_server,  # type: ignore[no-untyped-def]
    world: World,
) -> None:
    first = _federated(world, "first-scheduled.example")
    peer = _schedule(world, live_server.url)
    due = peer.next_run_at
    assert due is not None and due <= timezone.now()
    assert len(_queued(peer)) == 1  # queued for the worker once the change committed

    run = federation_run(peer_id=peer.pk, due=due.isoformat())
    assert run is not None and run.ok, run.message
    assert "1 refused" in run.message  # its own report: a peer may not change it
    peer.refresh_from_db()
    assert peer.pulled_until is not None and peer.pulled_until >= first.published_at
    assert peer.next_run_at is not None and peer.next_run_at > due + timedelta(minutes=29)
    assert len(_queued(peer)) == 2  # the next slot is queued too

    # The same slot again (tasks run at least once) does nothing.
    assert federation_run(peer_id=peer.pk, due=due.isoformat()) is None
    assert FederationRun.objects.filter(peer=peer).count() == 1

    # The next run resumes after the cursor: only what was added since.
    _federated(world, "second-scheduled.example")
    later = federation_run(peer_id=peer.pk, due=peer.next_run_at.isoformat())
    assert later is not None and later.ok
    assert "0 new, 0 updated, 0 unchanged, 1 refused" in later.message


@pytest.mark.django_db(transaction=True)
def test_a_run_against_an_unreachable_peer_says_why_and_keeps_the_cursor(world: World) -> None:
    peer = _schedule(world, _closed_port())
    moment = timezone.now() - timedelta(days=1)
    Peer.objects.filter(pk=peer.pk).update(pulled_until=moment)
    run = federation_run(peer_id=peer.pk, due=peer.next_run_at.isoformat())  # type: ignore[union-attr]
    assert run is not None and not run.ok and run.finished_at is not None
    assert "cannot reach" in run.message and "received before is kept" in run.message
    peer.refresh_from_db()
    assert peer.pulled_until == moment
    assert peer.next_run_at is not None and peer.next_run_at > timezone.now()
    assert len(_queued(peer)) == 2  # the failed run still queued the next one


@pytest.mark.django_db(transaction=True)
def test_stopping_the_schedule_makes_queued_runs_do_nothing(world: World) -> None:
    peer = _schedule(world, _closed_port())
    due = peer.next_run_at
    assert due is not None
    stopped = _schedule(world, peer.url or "", pull=False, push=False, token=None)
    assert stopped.pk == peer.pk and stopped.token == world.tokens[Role.MEMBER]
    assert not stopped.scheduled
    assert federation_run(peer_id=peer.pk, due=due.isoformat()) is None
    assert not FederationRun.objects.exists()
