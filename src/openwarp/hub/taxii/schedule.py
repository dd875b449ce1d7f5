"""Federation on a schedule: the worker pulls from (and pushes to) each peer.

A coordinator gives a peer an address, the token of an account on it and an
interval (`federation_schedule_set`, `openwarp federation schedule`). Each run
is a task queued for the peer's `next_run_at`; the run claims that slot and
queues the next before it talks to the peer, and carries the time it was
queued for, so a duplicate (tasks run at least once) or a chain left from an
older schedule finds a different `next_run_at` and does nothing. A pull
resumes from the peer's stored cursor (`Peer.pulled_until`) and is kept all
or nothing, so a run that fails (no network, a refused token, a server
error) records why and leaves everything received before as it was; the next
run tries again from the same place.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput, NotFound, OpenWarpError, PermissionDenied
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.policy.taxii import may_run_federation
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.taxii.models import FederationRun, Peer
from openwarp.hub.taxii.peers import discovery_url

MAX_INTERVAL_MINUTES = 7 * 24 * 60


def _require_runs_hub(actor: Any) -> None:
    if actor is not None and not may_run_federation(viewer_for(actor)):
        raise PermissionDenied("only the hub's coordinators schedule federation")


def _queue(peer: Peer) -> None:
    """Queue the peer's next run once the change that set `next_run_at` commits."""
    from openwarp.hub.taxii.tasks import federation_run_task

    if not peer.scheduled:
        return
    assert peer.next_run_at is not None
    task = federation_run_task.using(run_after=peer.next_run_at)
    due = peer.next_run_at.isoformat()
    transaction.on_commit(partial(task.enqueue, peer_id=peer.pk, due=due))


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
    peer.next_run_at = timezone.now() if pull or push else None
    peer.save()
    audit_record(
        actor=actor,
        action="federation.schedule",
        target=peer,
        details={"url": address, "pull": pull, "push": push, "minutes": interval_minutes},
    )
    _queue(peer)
    return peer


def federation_run_now(*, actor: Any, peer: Peer) -> None:
    """Queue one run outside the schedule (the schedule stays as it is)."""
    from openwarp.hub.taxii.tasks import federation_run_task

    _require_runs_hub(actor)
    if not (peer.url and peer.token):
        raise InvalidInput("this peer has no address and token to run with", field="peer")
    audit_record(actor=actor, action="federation.run_now", target=peer, details={})
    transaction.on_commit(partial(federation_run_task.enqueue, peer_id=peer.pk))


def _is_due(peer: Peer, due: str) -> bool:
    return peer.scheduled and peer.next_run_at == datetime.fromisoformat(due)


def federation_run(*, peer_id: int, due: str | None = None) -> FederationRun | None:
    """Run one exchange; None when this task is a stale or duplicate schedule entry."""
    with transaction.atomic():
        peer = Peer.objects.select_for_update().filter(pk=peer_id).first()
        if peer is None:
            raise NotFound(f"no peer {peer_id}")
        if due is not None and not _is_due(peer, due):
            return None
        run = FederationRun.objects.create(peer=peer)
        if due is not None:  # claim this slot and queue the next one
            peer.next_run_at = timezone.now() + timedelta(minutes=peer.interval_minutes)
            peer.save(update_fields=["next_run_at"])
            _queue(peer)
    _exchange(peer, run, pull=peer.pulls or not peer.pushes, push=peer.pushes)
    return run


def _exchange(peer: Peer, run: FederationRun, *, pull: bool, push: bool) -> None:
    from openwarp.hub.taxii.federation import federation_pull, federation_push

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
