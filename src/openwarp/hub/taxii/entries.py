"""Keeping the TAXII collection index (`CollectionEntry`) in step with reports.

A local report's entry follows from its own fields, so it is rewritten
whenever the report is saved (a `post_save` receiver: sharing publishes and
releases reports, and this app must not reach into its services). A received
report's entry is written by `services.reports_receive` when a version
arrives. Reports changed without `save()` (a queryset `update()`, a bulk
insert) are brought back in step with `collection_entries_sync`, which the
demo seeder and the migration that created the index also use.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from openwarp.hub.sharing.models import Report, ReportState
from openwarp.hub.taxii.added import joined_at
from openwarp.hub.taxii.models import CollectionEntry, ReceivedReport

_CHUNK = 2000
_FIELDS = ("public_id", "distribution", "sharing_group_id", "owner_organisation_id", "added")


def _entry(report: Report, added: datetime) -> CollectionEntry:
    return CollectionEntry(
        report_id=report.pk,
        public_id=report.public_id,
        distribution=report.distribution,
        sharing_group_id=report.sharing_group_id,
        owner_organisation_id=report.owner_organisation_id,
        added=added,
    )


def collection_entry_save(*, report: Report, added: datetime | None = None) -> None:
    """Write (or drop) one report's entry; `added` is when a received version arrived."""
    if report.state != ReportState.PUBLISHED or report.published_at is None:
        CollectionEntry.objects.filter(report_id=report.pk).delete()
        return
    if report.from_federation and added is None:
        return  # a received version is entered when it arrives
    moment = added or joined_at(
        published_at=report.published_at,
        anonymous=report.anonymous,
        modified_at=report.modified_at,
    )
    entry = _entry(report, moment)
    CollectionEntry.objects.update_or_create(
        report_id=report.pk, defaults={name: getattr(entry, name) for name in _FIELDS}
    )


def report_saved(sender: Any, instance: Report, raw: bool = False, **_: Any) -> None:
    """`post_save` on Report: a local report's entry follows its fields."""
    if not raw and not instance.from_federation:
        collection_entry_save(report=instance)


def _chunks(reports: Iterable[Report]) -> Iterable[list[Report]]:
    chunk: list[Report] = []
    for report in reports:
        chunk.append(report)
        if len(chunk) == _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@transaction.atomic
def collection_entries_sync() -> int:
    """Rewrite every entry from the reports as they are; returns how many."""
    CollectionEntry.objects.all().delete()
    arrived = dict(ReceivedReport.objects.values_list("report_id", "updated_at"))
    reports = (
        Report.objects.filter(state=ReportState.PUBLISHED, published_at__isnull=False)
        .only(
            "public_id", "distribution", "sharing_group_id", "owner_organisation_id",
            "published_at", "modified_at", "anonymous", "from_federation",
        )
        .iterator(chunk_size=_CHUNK)
    )  # fmt: skip
    count = 0
    for chunk in _chunks(reports):
        rows = []
        for report in chunk:
            if report.from_federation and report.pk not in arrived:
                continue
            assert report.published_at is not None
            moment = joined_at(
                published_at=report.published_at,
                anonymous=report.anonymous,
                received_at=arrived.get(report.pk) if report.from_federation else None,
                modified_at=report.modified_at,
            )
            rows.append(_entry(report, moment))
        CollectionEntry.objects.bulk_create(rows, batch_size=_CHUNK)
        count += len(rows)
    return count
