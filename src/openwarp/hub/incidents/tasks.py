"""Background work for incidents: the ICO-deadline reminders.

The task is the sweep itself, so it is idempotent: queued at each threshold by
`breach_record`, it sends whatever is due then and nothing twice (see
services/reminders.py).
"""

from __future__ import annotations

from django.tasks import task

from openwarp.hub.incidents.services.reminders import breach_reminders_send


@task()
def breach_reminders_task() -> int:
    """E-mail security leads whose ICO deadline is 24 or 6 hours away."""
    return breach_reminders_send()
