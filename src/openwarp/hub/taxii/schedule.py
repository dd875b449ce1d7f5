"""Federation on a schedule: the worker pulls from (and pushes to) each peer.

A coordinator gives a peer an address, the token of an account on it and an
interval (`federation_schedule_set`, `openwarp federation schedule`); the
worker runs it through the shared schedule (`hub/jobs/schedule.py`: due
slots, duplicates, runs left open by a dead worker, "run now"). A pull
resumes from the peer's stored cursor (`Peer.pulled_until`) and is kept all
or nothing, so a run that fails (no network, a refused token, a server
error) records why and leaves everything received before as it was; the next
run tries again from the same place.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput, OpenWarpError, PermissionDenied
from openwarp.hub.audit.services import audit_record
from openwarp.hub.jobs.schedule import (
    Claim,
    Timetable,
    schedule_from_now,
    schedule_run,
    schedule_run_now,
)
from openwarp.hub.members.policy.taxii import may_run_federation
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.taxii.models import FederationRun, Peer
from openwarp.hub.taxii.peers import discovery_url

MAX_INTERVAL_MINUTES = 7 * 24 * 60


def _next_after(peer: Peer, now: datetime) -> datetime | None:
    return now + timedelta(minutes=peer.interval_minutes) if peer.pulls or peer.pushes else None


def _close(run: FederationRun, reason: str) -> None:
    run.ok = False
    run.message = f"interrupted: {reason}; what was received before is kept"


TIMETABLE = Timetable(
    source_model=Peer,
    run_model=FederationRun,
    source_field="peer",
    task="openwarp.hub.taxii.tasks.federation_run_task",
    next_after=_next_after,
    close=_close,
)


def _require_runs_hub(actor: Any) -> None:
    if actor is not None and not may_run_federation(viewer_for(actor)):
        raise PermissionDenied("only the hub's coordinators schedule federation")


@transaction.atomic
def federation_schedule_set(
    *,
    actor: Any,
    name: str,
    url: str,
    token: str | None,
    interval_minutes: int,
    pull: bool = True,
    push: bool = False,
) -> Peer:
    """Pull from and/or push to the peer at `url` every `interval_minutes`;
    the first run is due at once. Neither pull nor push stops the schedule.
    `token` None keeps the one stored."""
    _require_runs_hub(actor)
    if not 5 <= interval_minutes <= MAX_INTERVAL_MINUTES:
        raise InvalidInput(
            f"the interval must be 5 to {MAX_INTERVAL_MINUTES} minutes", field="interval"
        )
    address = discovery_url(url)
    peer = Peer.objects.select_for_update().filter(url=address).first()
    if peer is None:
        from openwarp.hub.taxii.peers import peer_register

        peer = peer_register(actor=actor, name=name, url=address)
    if token is not None:
        peer.token = token.strip()
    if (pull or push) and not peer.token:
        raise InvalidInput("give the token of an account on the peer hub", field="token")
    peer.pulls, peer.pushes, peer.interval_minutes = pull, push, interval_minutes
    schedule_from_now(TIMETABLE, peer)
    peer.save()
    audit_record(
        actor=actor,
        action="federation.schedule",
        target=peer,
        details={"url": address, "pull": pull, "push": push, "minutes": interval_minutes},
    )
    return peer


def federation_run_now(*, actor: Any, peer: Peer) -> None:
    """Queue one run outside the schedule (the schedule stays as it is)."""
    _require_runs_hub(actor)
    if not (peer.url and peer.token):
        raise InvalidInput("this peer has no address and token to run with", field="peer")
    audit_record(actor=actor, action="federation.run_now", target=peer, details={})
    schedule_run_now(TIMETABLE, peer)


def federation_run(
    *, peer_id: int, due: str | None = None, task_id: str = "", worker_id: str = ""
) -> FederationRun | None:
    """Run one exchange; None when this task is a stale or duplicate schedule entry
    (or the peer is gone)."""
    attempt = {"due": due, "task_id": task_id, "worker_id": worker_id}
    return schedule_run(TIMETABLE, _exchange, source_id=peer_id, **attempt)


def _exchange(claim: Claim) -> None:
    from openwarp.hub.taxii.federation import federation_pull, federation_push

    peer, run = claim.source, claim.run
    pull, push = peer.pulls or not peer.pushes, peer.pushes
    assert peer.url is not None
    done: list[str] = []
    try:
        if pull:
            received = federation_pull(url=peer.url, token=peer.token).received
            done.append(
                f"pulled {len(received.created)} new, {len(received.updated)} updated, "
                f"{len(received.unchanged)} unchanged, {len(received.refused)} refused"
            )
        if push:
            pushed = federation_push(url=peer.url, token=peer.token)
            done.append(f"pushed {pushed.accepted} objects, {pushed.refused} refused")
    except OpenWarpError as error:
        _failed(run, done, error.message)
    except Exception as error:  # recorded, then left to the worker's log
        _failed(run, done, f"unexpected {type(error).__name__}")
        raise
    else:
        run.ok, run.message = True, "; ".join(done) or "nothing to do"
    run.finished_at = timezone.now()
    run.save()


def _failed(run: FederationRun, done: list[str], why: str) -> None:
    run.ok = False
    kept = "; ".join([*done, "failed, and what was received before is kept"])
    run.message = f"{kept}: {why}"[:2000]
    run.finished_at = timezone.now()
    run.save()
