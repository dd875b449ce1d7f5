"""Reading and verifying the audit log."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from openwarp.core.audit_chain import GENESIS_HASH, ChainBreak, ChainEntry, first_break
from openwarp.hub.audit.models import AuditEntry, AuditHead


def _chain(entries: QuerySet[AuditEntry]) -> Iterator[ChainEntry]:
    for entry in entries.iterator(chunk_size=2000):
        yield ChainEntry(entry.sequence, entry.chained_content(), entry.previous_hash, entry.hash)


def audit_verify() -> tuple[int, ChainBreak | None]:
    """Walk the whole chain; return how many entries were checked and the first break."""
    entries = AuditEntry.objects.order_by("sequence")
    broken = first_break(_chain(entries))
    count = entries.count()
    if broken is not None:
        return count, broken
    head = AuditHead.objects.filter(id=1).first()
    last = entries.last()
    head_sequence, head_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
    last_sequence, last_hash = (last.sequence, last.hash) if last else (0, GENESIS_HASH)
    if (head_sequence, head_hash) != (last_sequence, last_hash):
        return count, ChainBreak(
            last_sequence + 1 if head_sequence > last_sequence else last_sequence,
            f"the log should end at entry {head_sequence} but ends at {last_sequence}",
        )
    return count, None


def audit_entries(*, organisation_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    entries = AuditEntry.objects.order_by("-sequence")
    if organisation_id is not None:
        entries = entries.filter(organisation_id=organisation_id)
    return list(entries[:limit])
