"""Tasks of the hub itself. Capabilities define their own in their apps."""

from __future__ import annotations

import time

from django.tasks import task

from openwarp.hub.audit.services import audit_record


@task()
def hub_selftest(*, label: str, seconds: float = 0.0) -> str:
    """Prove the queue works end to end: wait, then leave a mark in the audit log.

    Used by `openwarp worker --selftest` and the worker-crash test.
    """
    time.sleep(seconds)
    audit_record(
        actor=None,
        action="jobs.selftest",
        object_type="jobs.selftest",
        object_id=label,
        details={"label": label},
    )
    return label
