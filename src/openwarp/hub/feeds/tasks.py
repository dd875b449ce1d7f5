"""Background work for feeds: scheduled and asked-for fetches.

Tasks run at least once (see hub/jobs/worker.py): a duplicate of a schedule
slot does nothing, and importing the same data twice changes nothing.
"""

from __future__ import annotations

from django.tasks import TaskContext, task

from openwarp.hub.feeds.fetching import feed_fetch
from openwarp.hub.jobs.schedule import attempt_of


@task(takes_context=True)
def feed_fetch_task(context: TaskContext, *, feed_id: int, due: str | None = None) -> int | None:
    """Fetch and import one feed; `due` marks a scheduled run, which queues the next."""
    run = feed_fetch(feed_id=feed_id, due=due, **attempt_of(context))
    return None if run is None else run.pk
