"""Reading reports back from STIX objects another hub sent."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.sharing.export_model import ExportIndicator, ExportReport, ExportSource
from openwarp.core.sharing.stix_export import report_objects, stix_pattern
from openwarp.core.sharing.stix_import import (
    confidence_word,
    parse_timestamp,
    pattern_indicator,
    received_reports,
)
from openwarp.core.tlp import TLP

VALUES = [
    ("domain", "evil.example"),
    ("ipv4", "198.51.100.7"),
    ("ipv6", "2001:db8::7"),
    ("url", "https://evil.example/login?next=a'b"),
    ("md5", "d41d8cd98f00b204e9800998ecf8427e"),
    ("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    ("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("email", "payroll@evil.example"),
    ("filename", "invoice.pdf.exe"),
    ("asn", "AS64500"),
]


@pytest.mark.parametrize(("kind", "value"), VALUES)
def test_every_pattern_the_hub_writes_reads_back_as_the_same_value(kind: str, value: str) -> None:
    assert pattern_indicator(stix_pattern(ExportIndicator(kind, value))) == (kind, value)


@pytest.mark.parametrize(
    "pattern",
    [
        "[domain-name:value = 'a.example' OR domain-name:value = 'b.example']",
        "[file:size > 1000]",
        "[network-traffic:dst_port = 443] FOLLOWEDBY [domain-name:value = 'x.example']",
    ],
)
def test_patterns_that_are_not_one_value_are_not_read(pattern: str) -> None:
    assert pattern_indicator(pattern) is None


def test_a_report_comes_back_with_its_values_marking_and_creator() -> None:
    source = ExportSource(id=uuid.uuid4(), name="Derby City Council")
    when = datetime(2026, 11, 30, 9, 30, 15, 123000, tzinfo=UTC)
    report = ExportReport(
        id=uuid.uuid4(),
        title="Kit",
        summary="",
        description="Details",
        threat_type="malware",
        confidence="possible",
        tlp=TLP.CLEAR,
        published=when,
        modified=when,
        source=source,
        source_label=source.name,
        hub_identity=source,
        indicators=[
            ExportIndicator("domain", "kit.example"),
            ExportIndicator("cve", "CVE-2024-3400"),
            ExportIndicator("ip-port", "198.51.100.7:8443"),
        ],
    )
    identity = {"type": "identity", "id": f"identity--{source.id}", "name": source.name}
    [received] = received_reports([identity, *report_objects(report)])
    assert received.uuid == report.id and received.tlp == TLP.CLEAR
    assert received.threat_type == "malware" and received.confidence == "possible"
    assert received.published == when and received.creator_name == "Derby City Council"
    assert received.indicators == [("domain", "kit.example"), ("cve", "CVE-2024-3400")]
    assert received.skipped_patterns == 1, "address:port is not read back"


def test_timestamps_keep_any_precision_and_must_be_utc() -> None:
    assert parse_timestamp("2026-12-01T10:00:00.1234567Z", "t").microsecond == 123456
    assert parse_timestamp("2026-12-01T10:00:00Z", "t").tzinfo is UTC
    with pytest.raises(InvalidInput) as error:
        parse_timestamp("2026-12-01T10:00:00+01:00", "added_after")
    assert error.value.field == "added_after"


def test_confidence_numbers_map_to_the_hubs_words() -> None:
    assert [confidence_word(n) for n in (95, 70, 55, 10, None)] == [
        "confirmed",
        "probable",
        "possible",
        "doubtful",
        "possible",
    ]


@pytest.mark.parametrize(
    ("objects", "field"),
    [
        ({"objects": []}, "objects"),
        ([{"type": "report"}], "objects[0]"),
        ([{"type": "report", "id": "report--not-a-uuid", "name": "x"}], "objects[0].id"),
        (
            [{"type": "report", "id": f"report--{uuid.uuid4()}", "name": "x", "published": "now"}],
            "objects[0].published",
        ),
    ],
)
def test_malformed_objects_are_named_by_position(objects: object, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        received_reports(objects)
    assert error.value.field == field


def test_derived_ids_stay_what_earlier_exports_gave() -> None:
    """Peers recognise a report again by its ids, so they must never change."""
    from uuid import UUID, uuid5

    from openwarp.core.sharing.stix_export import derived_uuid

    namespace = UUID("6f1c9a52-3c0e-4f7e-9a51-0d1d2b6c8e11")
    for name in ("domain:evil.example", "hub:Regional WARP", "url:https://é.example/"):
        assert derived_uuid(namespace, name) == UUID(bytes=uuid5(namespace, name).bytes, version=4)
