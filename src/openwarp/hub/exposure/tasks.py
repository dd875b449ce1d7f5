"""Background work for exposure: re-matching after inventory changes and data loads.

Tasks run at least once (see hub/jobs/worker.py); re-matching is idempotent
because warnings are upserted by (organisation, CVE, product), and a KEV alert
is raised at most once per warning.
"""

from __future__ import annotations

from django.tasks import TaskContext, task

from openwarp.hub.exposure.services.alerts import exposure_refresh_after_load
from openwarp.hub.exposure.services.matching import exposure_rematch
from openwarp.hub.exposure.services.refresh import feed_refresh
from openwarp.hub.jobs.schedule import attempt_of


@task()
def exposure_rematch_task(
    *, organisation_ids: list[int] | None = None, cve_ids: list[str] | None = None
) -> int:
    """Re-match some organisations (default all) against some CVEs (default all)."""
    result = exposure_rematch(organisation_ids=organisation_ids, cve_ids=cve_ids)
    return len(result.created) + result.updated


@task()
def exposure_after_load_task(*, load_id: int) -> int:
    """Re-match everything after a data load, then alert on newly listed KEV CVEs."""
    return exposure_refresh_after_load(load_id=load_id)


@task(takes_context=True)
def exposure_feed_refresh_task(
    context: TaskContext, *, source_id: int, due: str | None = None
) -> int | None:
    """Fetch and load one feed; `due` marks a scheduled run, which queues the next."""
    run = feed_refresh(source_id=source_id, due=due, **attempt_of(context))
    return None if run is None else run.pk
