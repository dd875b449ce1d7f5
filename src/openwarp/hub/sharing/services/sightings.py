"""Recording sightings: a tally per member and value, merged on repeat.

One sighting comes from a person on the report page or the API; a batch comes
from ``openwarp sweep --report`` and carries an idempotency key, so a sweep
that is sent again (a retry after a network fault, or the same sweep run
twice) never counts the same sightings twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import orjson
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from openwarp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import Organisation, User
from openwarp.hub.members.policy import Action, Viewer, may
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.sharing.access import report_visible, reports_visible
from openwarp.hub.sharing.models import (
    Indicator,
    ReportState,
    Sighting,
    SightingBatch,
    SightingKind,
)

MAX_BATCH = 1000
MAX_SAMPLES = 3
MAX_SAMPLE_CHARS = 2000


def _may_record(viewer: Viewer, actor: User) -> None:
    if not may(viewer, Action.WRITE_CONTENT) or actor.organisation is None:
        raise PermissionDenied("only members of an organisation record sightings")


def _times(
    first_seen: datetime | None, last_seen: datetime | None, field: str = ""
) -> tuple[datetime, datetime]:
    now = timezone.now()
    first, last = first_seen or last_seen or now, last_seen or first_seen or now
    if first > now or last > now:
        raise InvalidInput("a sighting cannot be in the future", field=f"{field}last_seen")
    if first > last:
        raise InvalidInput("first seen is after last seen", field=f"{field}first_seen")
    return first, last


def _tally_add(
    *,
    organisation: Organisation,
    indicator: Indicator,
    sighting: str,
    count: int,
    first: datetime,
    last: datetime,
) -> Sighting:
    """Create the member's tally for the value or add to it (inside a transaction)."""
    key = {
        "organisation": organisation,
        "kind": indicator.kind,
        "value": indicator.value,
        "sighting": sighting,
    }
    try:
        with transaction.atomic():
            return Sighting.objects.create(**key, count=count, first_seen=first, last_seen=last)
    except IntegrityError:
        tally = Sighting.objects.select_for_update().get(**key)
        tally.count = F("count") + count
        tally.first_seen = min(tally.first_seen, first)
        tally.last_seen = max(tally.last_seen, last)
        tally.save(update_fields=["count", "first_seen", "last_seen"])
        tally.refresh_from_db()
        return tally


def sighting_record(
    *,
    actor: User,
    indicator: Indicator,
    sighting: str = SightingKind.SEEN,
    count: int = 1,
    first_seen: datetime | None = None,
    last_seen: datetime | None = None,
) -> Sighting:
    """Add to this member's tally for the value. Times in the future are refused."""
    _may_record(viewer_for(actor), actor)
    if not report_visible(viewer_for(actor), indicator.report):
        raise PermissionDenied("you cannot see that indicator")
    if sighting not in SightingKind.values:
        raise InvalidInput(f"unknown sighting {sighting!r}", field="sighting")
    if count < 1:
        raise InvalidInput("count must be at least 1", field="count")
    first, last = _times(first_seen, last_seen)
    assert actor.organisation is not None
    with transaction.atomic():
        tally = _tally_add(
            organisation=actor.organisation,
            indicator=indicator,
            sighting=sighting,
            count=count,
            first=first,
            last=last,
        )
        audit_record(
            actor=actor,
            action="sighting.record",
            target=tally,
            organisation_id=actor.organisation_id,
            details={
                "kind": indicator.kind,
                "value": indicator.value,
                "sighting": sighting,
                "count": count,
            },
        )
    return tally


@dataclass(frozen=True)
class BatchItem:
    """One indicator's sightings in a sweep; ``lines`` only if the member chose to send them."""

    indicator: UUID
    count: int
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchResult:
    key: str
    indicators: int
    total: int
    duplicate: bool


def _digest(items: list[BatchItem]) -> str:
    rows = [
        [
            i.indicator,
            i.count,
            i.first_seen and i.first_seen.isoformat(),
            i.last_seen and i.last_seen.isoformat(),
            list(i.lines),
        ]
        for i in items
    ]
    return hashlib.sha256(orjson.dumps(rows)).hexdigest()


def _visible_indicators(viewer: Viewer, items: list[BatchItem]) -> dict[UUID, Indicator]:
    """The batch's indicators the viewer may see; any other id fails the whole batch
    (and reads as not found, so ids cannot be probed)."""
    ids = {item.indicator for item in items}
    reports = reports_visible(viewer).filter(state=ReportState.PUBLISHED).values("pk")
    found = {
        indicator.public_id: indicator
        for indicator in Indicator.objects.filter(public_id__in=ids, report__in=reports)
    }
    for position, item in enumerate(items):
        if item.indicator not in found:
            raise NotFound("no such indicator", field=f"items[{position}].indicator")
    return found


def _validate(items: list[BatchItem], key: str) -> None:
    if not key.strip() or len(key) > 200:
        raise InvalidInput("an idempotency key of 1 to 200 characters is needed", field="key")
    if not 1 <= len(items) <= MAX_BATCH:
        raise InvalidInput(f"a batch holds 1 to {MAX_BATCH} items", field="items")
    seen: set[UUID] = set()
    for position, item in enumerate(items):
        if item.count < 1:
            raise InvalidInput("count must be at least 1", field=f"items[{position}].count")
        if item.indicator in seen:
            raise InvalidInput("indicator given twice", field=f"items[{position}].indicator")
        seen.add(item.indicator)
        _times(item.first_seen, item.last_seen, f"items[{position}].")


def sighting_batch_record(
    *, actor: User, viewer: Viewer, key: str, items: list[BatchItem]
) -> BatchResult:
    """Record a sweep's sightings at once, all or nothing, once per key.

    A batch already received under this key is answered as it was
    (``duplicate``), so a client may resend after any failure. Each item adds
    to the member's tally for that indicator's value; log lines are stored
    only when sent, a few per indicator.
    """
    _may_record(viewer, actor)
    organisation = actor.organisation
    assert organisation is not None
    _validate(items, key)
    digest = _digest(items)
    with transaction.atomic():
        done = SightingBatch.objects.filter(organisation=organisation, key=key).first()
        if done is not None:
            if done.digest != digest:
                raise Conflict("this key was used for a different batch", field="key")
            return BatchResult(key, done.indicators, done.total, duplicate=True)
        indicators = _visible_indicators(viewer, items)
        samples: dict[str, list[str]] = {}
        for item in items:
            first, last = _times(item.first_seen, item.last_seen)
            _tally_add(
                organisation=organisation,
                indicator=indicators[item.indicator],
                sighting=SightingKind.SEEN,
                count=item.count,
                first=first,
                last=last,
            )
            if item.lines:
                samples[str(item.indicator)] = [
                    line[:MAX_SAMPLE_CHARS] for line in item.lines[:MAX_SAMPLES]
                ]
        total = sum(item.count for item in items)
        try:
            with transaction.atomic():
                batch = SightingBatch.objects.create(
                    organisation=organisation,
                    key=key,
                    digest=digest,
                    indicators=len(items),
                    total=total,
                    samples=samples,
                )
        except IntegrityError:  # the same batch raced in from a second request
            raise Conflict("this batch is being recorded; retry", field="key") from None
        audit_record(
            actor=actor,
            action="sighting.batch",
            target=batch,
            organisation_id=organisation.pk,
            details={
                "key": key,
                "indicators": len(items),
                "total": total,
                "lines": sum(len(v) for v in samples.values()),
            },
        )
    return BatchResult(key, len(items), total, duplicate=False)
