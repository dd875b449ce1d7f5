"""Writing to the audit log, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from openwarp.core.audit_chain import GENESIS_HASH, entry_hash
from openwarp.hub.audit.models import AuditEntry, AuditHead


def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    organisation_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; call it in the same transaction as the change it records.

    `actor` is a user or None for the system (CLI, tasks). Secrets must never
    be put in `details`.
    """
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    with transaction.atomic():
        AuditHead.objects.get_or_create(id=1, defaults={"hash": GENESIS_HASH})
        head = AuditHead.objects.select_for_update().get(id=1)
        entry = AuditEntry(
            sequence=head.sequence + 1,
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_email=getattr(actor, "email", "") or "",
            action=action,
            object_type=object_type,
            object_id=object_id,
            organisation_id=organisation_id,
            details=details or {},
            previous_hash=head.hash,
        )
        entry.hash = entry_hash(entry.previous_hash, entry.chained_content())
        entry.save()
        head.sequence, head.hash = entry.sequence, entry.hash
        head.save(update_fields=["sequence", "hash"])
    return entry
