"""MISP event and feed export, read back with PyMISP as a MISP instance would."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from pymisp import MISPEvent
from pymisp.tools.feed import feed_meta_generator

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.misp import misp_rows
from openwarp.core.sharing.export_model import ExportIndicator, ExportReport, ExportSource
from openwarp.core.sharing.misp_export import misp_event, misp_feed
from openwarp.core.tlp import TLP

HUB = ExportSource(UUID("6f1c2d4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f"), "East Midlands WARP")
ORG = ExportSource(UUID("0b9f7c1e-2d3a-4e5f-8a6b-7c8d9e0f1a2b"), "Derby City Council")
PUBLISHED = datetime(2025, 3, 4, 13, 14, 15, 123456, tzinfo=UTC)
MODIFIED = datetime(2025, 3, 5, 8, 30, 0, tzinfo=UTC)

# kind, value -> MISP type, category, stored value, to_ids
EXPECTED = {
    ("domain", "login-portal.example"): (
        "domain",
        "Network activity",
        "login-portal.example",
        True,
    ),
    ("ipv4", "185.220.101.4"): ("ip-dst", "Network activity", "185.220.101.4", True),
    ("ipv6", "2001:db8::1"): ("ip-dst", "Network activity", "2001:db8::1", True),
    ("cidr", "198.51.100.0/24"): ("ip-dst", "Network activity", "198.51.100.0/24", True),
    ("url", "https://evil.example/o365"): (
        "url",
        "Network activity",
        "https://evil.example/o365",
        True,
    ),
    ("md5", "d41d8cd98f00b204e9800998ecf8427e"): (
        "md5",
        "Payload delivery",
        "d41d8cd98f00b204e9800998ecf8427e",
        True,
    ),
    ("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"): (
        "sha1",
        "Payload delivery",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        True,
    ),
    ("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"): (
        "sha256",
        "Payload delivery",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        True,
    ),
    ("email", "billing@supplier-payments.example"): (
        "email-src",
        "Payload delivery",
        "billing@supplier-payments.example",
        True,
    ),
    ("filename", "invoice.pdf.exe"): ("filename", "Payload delivery", "invoice.pdf.exe", True),
    ("asn", "AS64500"): ("AS", "Network activity", "64500", False),
    ("cve", "CVE-2024-3400"): ("vulnerability", "External analysis", "CVE-2024-3400", False),
    ("ip-port", "192.0.2.10:8443"): ("ip-dst|port", "Network activity", "192.0.2.10|8443", True),
    ("ip-port", "[2001:db8::5]:443"): (
        "ip-dst|port",
        "Network activity",
        "2001:db8::5|443",
        True,
    ),
}
ALL_INDICATORS = [ExportIndicator(kind, value) for kind, value in EXPECTED]


def make_report(
    *,
    report_id: str = "3c1f5e7a-9b2d-4f6e-8a1c-5d7e9f0b2c4d",
    source: ExportSource | None = ORG,
    tlp: TLP = TLP.AMBER,
    indicators: list[ExportIndicator] | None = None,
    confidence: str = "probable",
) -> ExportReport:
    return ExportReport(
        id=UUID(report_id),
        title="Invoice phishing against district councils",
        summary="Fake supplier invoices carrying a loader.",
        description="Seen by **three** members since Monday.",
        threat_type="phishing",
        confidence=confidence,
        tlp=tlp,
        published=PUBLISHED,
        modified=MODIFIED,
        source=source,
        source_label="a district council in the East Midlands" if source is None else ORG.name,
        hub_identity=HUB,
        indicators=ALL_INDICATORS if indicators is None else indicators,
    )


def load(event_json: dict) -> MISPEvent:
    event = MISPEvent()
    event.load(json.dumps(event_json))
    return event


def write_feed(files: dict[str, str], directory: Path) -> Path:
    directory.mkdir()
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_pymisp_loads_every_kind_with_misp_types_and_categories() -> None:
    event = load(misp_event(make_report()))

    found = {(a.type, a.category, a.value, a.to_ids) for a in event.attributes}
    assert found == set(EXPECTED.values())
    assert event.info == "Invoice phishing against district councils"
    assert event.date.isoformat() == "2025-03-04"
    assert event.event_reports[0].content.startswith("Fake supplier invoices carrying a loader.")


@pytest.mark.parametrize(
    ("tlp", "tag", "distribution"),
    [
        (TLP.CLEAR, "tlp:clear", 3),
        (TLP.GREEN, "tlp:green", 2),
        (TLP.AMBER, "tlp:amber", 0),
        (TLP.AMBER_STRICT, "tlp:amber+strict", 0),
        (TLP.RED, "tlp:red", 0),
    ],
)
def test_tlp_becomes_misp_tag_and_limits_distribution(
    tlp: TLP, tag: str, distribution: int
) -> None:
    event = load(misp_event(make_report(tlp=tlp)))

    tlp_tags = [t.name for t in event.tags if t.name.startswith("tlp:")]
    assert tlp_tags == [tag]
    assert int(event.distribution) == distribution


def test_named_source_is_orgc_with_exact_timestamps() -> None:
    event = load(misp_event(make_report(source=ORG)))

    assert (event.Orgc.name, event.Orgc.uuid) == (ORG.name, str(ORG.id))
    assert event.timestamp == MODIFIED
    assert event.publish_timestamp == PUBLISHED.replace(microsecond=0)


def test_anonymous_event_names_the_hub_and_only_the_day() -> None:
    document = misp_event(make_report(source=None))
    text = json.dumps(document)

    assert ORG.name not in text
    assert str(ORG.id) not in text
    event = load(document)
    assert (event.Orgc.name, event.Orgc.uuid) == (HUB.name, str(HUB.id))
    midnight = datetime(2025, 3, 4, tzinfo=UTC)
    assert event.publish_timestamp == midnight
    assert event.timestamp == datetime(2025, 3, 5, tzinfo=UTC)
    assert {a.timestamp for a in event.attributes} == {datetime(2025, 3, 5, tzinfo=UTC)}
    assert "a district council in the East Midlands" in event.event_reports[0].content


def test_confidence_travels_as_admiralty_credibility() -> None:
    event = load(misp_event(make_report(confidence="confirmed")))

    assert 'admiralty-scale:information-credibility="1"' in [t.name for t in event.tags]
    assert int(event.analysis) == 2


def test_unknown_indicator_kind_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="mutex"):
        misp_event(make_report(indicators=[ExportIndicator("mutex", "Global\\evil")]))


def test_detection_values_read_back_by_our_own_misp_reader() -> None:
    document = misp_event(make_report())

    rows = list(misp_rows(Path("event.json"), document))
    values = {row[2] for row in rows}
    assert "login-portal.example" in values
    assert "billing@supplier-payments.example" in values
    assert "192.0.2.10:8443" in values
    assert {row[4] for row in rows} == {"amber"}
    assert "64500" not in values  # AS numbers are context, not for detection


def three_reports() -> list[ExportReport]:
    return [
        make_report(report_id="11111111-1111-4111-8111-111111111111", tlp=TLP.GREEN),
        make_report(report_id="22222222-2222-4222-8222-222222222222", source=None),
        make_report(report_id="33333333-3333-4333-8333-333333333333", tlp=TLP.RED),
    ]


def test_feed_directory_reads_back_through_its_manifest(tmp_path: Path) -> None:
    reports = three_reports()
    feed = write_feed(misp_feed(reports, hub=HUB), tmp_path / "feed")

    manifest = json.loads((feed / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) == {str(report.id) for report in reports}
    for uuid, entry in manifest.items():
        event = MISPEvent()
        event.load_file(str(feed / f"{uuid}.json"))
        assert event.uuid == uuid
        assert event.info == entry["info"]
        assert len(event.attributes) == len(ALL_INDICATORS)
        # Same layout PyMISP itself writes for a feed, and the same manifest entry.
        on_disk = json.loads((feed / f"{uuid}.json").read_text(encoding="utf-8"))
        assert on_disk == event.to_feed()
        assert entry == event.manifest[uuid]


def test_feed_metadata_matches_what_pymisp_generates(tmp_path: Path) -> None:
    ours = write_feed(misp_feed(three_reports(), hub=HUB), tmp_path / "ours")
    theirs = tmp_path / "theirs"
    shutil.copytree(ours, theirs)
    feed_meta_generator(theirs)  # rewrites manifest.json and hashes.csv from the events

    assert json.loads((ours / "manifest.json").read_text()) == json.loads(
        (theirs / "manifest.json").read_text()
    )
    our_hashes = (ours / "hashes.csv").read_text().splitlines()
    assert sorted(our_hashes) == sorted((theirs / "hashes.csv").read_text().splitlines())
    domain_md5 = hashlib.md5(b"login-portal.example", usedforsecurity=False).hexdigest()
    assert f"{domain_md5},11111111-1111-4111-8111-111111111111" in our_hashes
    assert len(our_hashes) == 3 * (len(ALL_INDICATORS) + 2)  # two address|port values


def test_anonymous_report_in_a_feed_leaks_nothing(tmp_path: Path) -> None:
    files = misp_feed(three_reports(), hub=HUB)
    anonymous = "22222222-2222-4222-8222-222222222222"

    event_text = files[f"{anonymous}.json"]
    assert ORG.name not in event_text
    assert str(ORG.id) not in event_text
    manifest = json.loads(files["manifest.json"])
    assert manifest[anonymous]["Orgc"] == {"uuid": str(HUB.id), "name": HUB.name}
    assert manifest[anonymous]["timestamp"] % 86400 == 0
    event = json.loads(event_text)["Event"]
    assert int(event["publish_timestamp"]) % 86400 == 0
    assert {int(a["timestamp"]) % 86400 for a in event["Attribute"]} == {0}


def test_feed_of_only_anonymous_reports_never_mentions_the_organisation() -> None:
    reports = [
        make_report(source=None),
        make_report(report_id="44444444-4444-4444-8444-444444444444", source=None),
    ]
    everything = "\n".join(misp_feed(reports, hub=HUB).values())

    assert ORG.name not in everything
    assert str(ORG.id) not in everything
