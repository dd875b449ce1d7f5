"""Background work for federation: each scheduled exchange with a peer.

Tasks run at least once (see hub/jobs/worker.py); a run is idempotent because
received reports are kept by STIX id and a pull resumes from the stored cursor.
"""

from __future__ import annotations

from django.tasks import TaskContext, task

from openwarp.hub.jobs.schedule import attempt_of
from openwarp.hub.taxii.schedule import federation_run


@task(takes_context=True)
def federation_run_task(
    context: TaskContext, *, peer_id: int, due: str | None = None
) -> int | None:
    """Pull from (and push to) one peer; `due` marks a scheduled run, which queues the next."""
    run = federation_run(peer_id=peer_id, due=due, **attempt_of(context))
    return None if run is None else run.pk
