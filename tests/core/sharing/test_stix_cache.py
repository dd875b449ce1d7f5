"""The object cache: the key covers the whole export, the size stays bounded."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import orjson

from openwarp.core.sharing.export_model import ExportIndicator, ExportReport, ExportSource
from openwarp.core.sharing.stix_cache import ObjectCache, export_key
from openwarp.core.sharing.stix_export import report_objects
from openwarp.core.tlp import TLP

HUB = ExportSource(id=uuid.UUID("6f1c9a52-3c0e-4f7e-9a51-0d1d2b6c8e11"), name="Regional WARP")
DERBY = ExportSource(id=uuid.UUID("1b7cf7a2-8f51-4b8e-8a0e-0b6a3c2d1e10"), name="Derby")


def _report(n: int = 0, *, source: ExportSource | None = DERBY) -> ExportReport:
    return ExportReport(
        id=uuid.UUID(int=n + 1, version=4),
        title=f"Report {n}",
        summary="",
        description="",
        threat_type="malware",
        confidence="probable",
        tlp=TLP.GREEN,
        published=datetime(2026, 11, 30, 14, 5, tzinfo=UTC),
        modified=datetime(2026, 11, 30, 14, 5, tzinfo=UTC),
        source=source,
        source_label=source.name if source else "a unitary authority in the East Midlands",
        hub_identity=HUB,
        indicators=[ExportIndicator("domain", f"r{n}-{i}.example") for i in range(50)],
    )


def test_cached_objects_are_the_objects_the_exporter_builds() -> None:
    cache = ObjectCache()
    report = _report()
    first = cache.report(report)
    again = cache.report(report)
    assert again is first and cache.hits == 1
    assert [orjson.loads(obj.raw) for obj in first] == report_objects(report)
    assert [obj.id for obj in first] == [obj["id"] for obj in report_objects(report)]


def test_every_field_of_the_export_is_part_of_the_key() -> None:
    base = _report()
    changes = [
        replace(base, source=None, source_label="a unitary authority in the East Midlands"),
        replace(base, source=replace(DERBY, name="Derby City Council")),
        replace(base, title="Another title"),
        replace(base, tlp=TLP.CLEAR),
        replace(base, indicators=[*base.indicators[:-1], ExportIndicator("domain", "x.example")]),
        replace(base, hub_identity=replace(HUB, name="Other hub")),
    ]
    keys = {export_key(base), *(export_key(changed) for changed in changes)}
    assert len(keys) == len(changes) + 1


def test_an_anonymous_cut_never_gets_the_named_cut_objects() -> None:
    cache = ObjectCache()
    named = cache.report(_report())
    hidden = cache.report(_report(source=None))
    assert b"Derby" in b"".join(obj.raw for obj in named)
    assert b"Derby" not in b"".join(obj.raw for obj in hidden)


def test_the_cache_drops_the_least_recently_used_beyond_its_size() -> None:
    one = sum(len(obj.raw) for obj in ObjectCache().report(_report(0))) + 200
    cache = ObjectCache(max_bytes=one * 3)
    for n in range(3):
        cache.report(_report(n))
    cache.report(_report(0))  # used again: now the most recent
    cache.report(_report(3))
    assert len(cache) == 3 and cache.size <= cache.max_bytes
    cache.report(_report(0))
    assert cache.hits == 2  # 0 was kept; 1 was dropped
    cache.report(_report(1))
    assert cache.misses == 5
