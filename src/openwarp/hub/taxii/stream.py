"""A collection's objects in one stable order, cut into TAXII pages.

The objects of a collection form a stream of groups. The first group holds
the five OASIS TLP 2.0 marking definitions and the hub's own identity, which
are always there. Then each visible report is a group: the publisher's
identity (with the first report of that publisher the reader may know), the
report object, then its indicators and vulnerabilities. Groups are ordered by
the moment they were added to the collection and then by report id, so the
order never depends on anything the reader may not know, and `next` is the
position (added, report id, offset in the group) to resume from.

A report's `date_added` is its publication. For an anonymous report that
moment is the coordinator's release, which a member polling the feed sees
anyway; still, its place in the stream is rounded up to the next full hour
(and it is held back until then), so a listing read later cannot be lined up
with the minute the coordinator acted. A received report's is when its
current version arrived. These moments are stored and indexed
(`CollectionEntry`, see `entries.py`), so a page reads the index in order
from the cursor instead of computing and sorting every report's moment.
Every object passes through the sharing export, which hides an anonymous
source's identity and time of day.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from openwarp.core.errors import InvalidInput
from openwarp.core.sharing.stix_cache import ObjectCache, Serialised, serialise
from openwarp.core.sharing.stix_export import tlp_marking_definition
from openwarp.core.sharing.stix_import import parse_timestamp
from openwarp.core.tlp import TLP
from openwarp.hub.members.policy import Viewer
from openwarp.hub.sharing.exports import export_report, hub_identity
from openwarp.hub.sharing.models import Indicator, Report
from openwarp.hub.taxii.collections import Collection, collection_reports, known_source_q
from openwarp.hub.taxii.models import CollectionEntry

# The markings and the hub's identity have always been in every collection.
PRELUDE_ADDED = datetime(2022, 10, 1, tzinfo=UTC)
PRELUDE_KEY = ""
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_BATCH = 200
_ORDER = ("added", "public_id")
_REPORT_TYPES = frozenset({"report", "indicator", "vulnerability", "identity"})


def taxii_timestamp(moment: datetime) -> str:
    """TAXII timestamps keep microseconds, so `added_after` resumes exactly."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_cache: ObjectCache | None = None


def object_cache() -> ObjectCache:
    """This process's cache of serialised report objects (see `stix_cache`);
    its size is `TAXII_OBJECT_CACHE_BYTES` (256 MB unless set)."""
    global _cache
    if _cache is None:
        size = getattr(settings, "TAXII_OBJECT_CACHE_BYTES", None)
        _cache = ObjectCache(size) if size is not None else ObjectCache()
    return _cache


@dataclass(frozen=True, slots=True)
class Cursor:
    added: datetime
    key: str
    offset: int

    def encode(self) -> str:
        raw = json.dumps([taxii_timestamp(self.added), self.key, self.offset])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            added, key, offset = json.loads(raw)
            if key != PRELUDE_KEY:
                key = str(UUID(key))
            if int(offset) < 0:
                raise ValueError(offset)
            return cls(parse_timestamp(added, "next"), key, int(offset))
        except (ValueError, TypeError, AttributeError, InvalidInput):
            raise InvalidInput("next is not a value this server gave out", field="next") from None


@dataclass(frozen=True)
class Filters:
    """The URL parameters of a TAXII listing, already checked."""

    added_after: datetime | None = None
    ids: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    versions: frozenset[str] = frozenset({"last"})
    spec_versions: frozenset[str] = frozenset()
    limit: int = DEFAULT_LIMIT
    cursor: Cursor | None = None

    @property
    def keeps_all(self) -> bool:
        """Whether every object passes (the usual listing), so none need checking."""
        any_version = bool(self.versions & {"first", "last", "all"})
        return any_version and not (self.ids or self.types or self.spec_versions)

    def keeps(self, obj: Serialised) -> bool:
        if self.ids and obj.id not in self.ids:
            return False
        if self.types and obj.type not in self.types:
            return False
        if self.spec_versions and obj.spec_version not in self.spec_versions:
            return False
        # One version of each object is kept, so first, last and all are the same one.
        return bool(self.versions & {"first", "last", "all"}) or any(
            parse_timestamp(version, "match[version]") == parse_timestamp(obj.version, "")
            for version in self.versions
        )


@dataclass(frozen=True, slots=True)
class Entry:
    obj: Serialised
    added: datetime


@dataclass
class Page:
    entries: list[Entry] = field(default_factory=list)
    more: bool = False
    next: str | None = None


def _prelude() -> tuple[Serialised, ...]:
    markings = tuple(serialise(tlp_marking_definition(level)) for level in TLP)
    return (*markings, object_cache().identity(hub_identity()))


def _entries(collection: Collection, reports: QuerySet[Report]) -> QuerySet[CollectionEntry]:
    """The collection's index rows up to now whose report is among `reports`
    (what the reader may see, as the policy decides), checked report by
    report while the index is read in order."""
    scope = Q(distribution=collection.distribution, added__lte=timezone.now())
    if collection.sharing_group_id is not None:
        scope &= Q(sharing_group_id=collection.sharing_group_id)
    return CollectionEntry.objects.filter(scope, Exists(reports.filter(pk=OuterRef("report_id"))))


def _after(moment: datetime, key: str, *, inclusive: bool) -> Q:
    same = Q(added=moment, public_id__gte=key) if inclusive else Q(added=moment, public_id__gt=key)
    return Q(added__gt=moment) | same


def _report_batches(
    collection: Collection, reports: QuerySet[Report], filters: Filters
) -> Iterator[list[CollectionEntry]]:
    """The collection's entries the reader may see, from the cursor on, in
    batches that grow; each entry comes with its report (one query a batch)."""
    entries = _entries(collection, reports)
    if filters.added_after is not None:
        entries = entries.filter(added__gt=filters.added_after)
    if filters.ids and all(i.startswith("report--") for i in filters.ids):
        entries = entries.filter(public_id__in=[i.removeprefix("report--") for i in filters.ids])
    after = filters.cursor
    if after is not None and after.key != PRELUDE_KEY:
        entries = entries.filter(_after(after.added, after.key, inclusive=True))
    entries = entries.select_related("report__owner_organisation__region").order_by(*_ORDER)
    # A page of 1,000 objects seldom spans more than a few dozen reports.
    size = max(5, filters.limit // 100)
    while batch := list(entries[:size]):
        yield batch
        size = min(_BATCH, size * 2)
        last = batch[-1]
        entries = entries.filter(_after(last.added, str(last.public_id), inclusive=False))


def _values(reports: list[Report]) -> dict[int, list[tuple[str, str]]]:
    """Each report's (kind, value) pairs in the export's order, in one query."""
    found: dict[int, list[tuple[str, str]]] = {report.pk: [] for report in reports}
    rows = (
        Indicator.objects.filter(report_id__in=found)
        .order_by("report_id", "kind", "value")
        .values_list("report_id", "kind", "value")
    )
    for report_id, kind, value in rows:
        found[report_id].append((kind, value))
    return found


def _chunks(batch: list[CollectionEntry]) -> Iterator[list[CollectionEntry]]:
    """A batch in growing chunks (2, 4, 8, ...), so a page that needs a few
    large reports does not read the values of many more."""
    start, size = 0, 2
    while start < len(batch):
        yield batch[start : start + size]
        start, size = start + size, size * 2


class _FirstKnown:
    """When each publisher's first report the reader may credit joined the
    collection: looked up once per publisher and page, through the index."""

    def __init__(self, collection: Collection, known: QuerySet[Report]) -> None:
        self.known = _entries(collection, known).order_by("added")
        self.first: dict[int, datetime | None] = {}

    def of(self, owner_id: int) -> datetime | None:
        if owner_id not in self.first:
            rows = self.known.filter(owner_organisation_id=owner_id)
            self.first[owner_id] = rows.values_list("added", flat=True).first()
        return self.first[owner_id]


def _report_group(
    viewer: Viewer, entry: CollectionEntry, values: list[tuple[str, str]], first: _FirstKnown
) -> tuple[Serialised, ...]:
    """The report's objects, built from what this reader may see of it (so a
    cached copy is one made for the same cut, see `stix_cache`)."""
    report = entry.report
    export = export_report(viewer, report, values=values)
    objects = object_cache().report(export)
    if export.source is not None and first.of(report.owner_organisation_id) == entry.added:
        return (object_cache().identity(export.source), *objects)
    return objects


def groups(
    viewer: Viewer, collection: Collection, filters: Filters
) -> Iterator[tuple[datetime, str, tuple[Serialised, ...]]]:
    """Each group of the stream from the cursor on, as (added, key, objects)."""
    before_reports = filters.cursor is None or filters.cursor.key == PRELUDE_KEY
    if before_reports and (filters.added_after is None or filters.added_after < PRELUDE_ADDED):
        yield PRELUDE_ADDED, PRELUDE_KEY, _prelude()
    if filters.types and not filters.types & _REPORT_TYPES:
        return
    # The policy's SQL is built once a page (building it costs more than running it).
    reports = collection_reports(viewer, collection)
    first = _FirstKnown(collection, reports.filter(known_source_q(viewer)))
    for batch in _report_batches(collection, reports, filters):
        for chunk in _chunks(batch):
            values = _values([entry.report for entry in chunk])
            for entry in chunk:
                group = _report_group(viewer, entry, values[entry.report_id], first)
                yield entry.added, str(entry.public_id), group


def page(viewer: Viewer, collection: Collection, filters: Filters) -> Page:
    """At most `limit` objects from the cursor on; `next` when more remain."""
    result = Page()
    cursor = filters.cursor
    keeps_all = filters.keeps_all
    for added, key, objects in groups(viewer, collection, filters):
        kept = objects if keeps_all else [obj for obj in objects if filters.keeps(obj)]
        start = cursor.offset if cursor and (cursor.added, cursor.key) == (added, key) else 0
        room = filters.limit - len(result.entries)
        result.entries.extend(Entry(obj, added) for obj in kept[start : start + room])
        if start + room < len(kept):
            result.more = True
            result.next = Cursor(added, key, start + room).encode()
            return result
    return result
