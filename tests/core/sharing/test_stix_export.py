"""STIX 2.1 export, checked with the OASIS validator and the stix2 library."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

import pytest
import stix2
from stix2validator import ValidationOptions, validate_instance

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.stix import pattern_values
from openwarp.core.sharing.export_model import ExportIndicator, ExportReport, ExportSource
from openwarp.core.sharing.stix_export import report_bundle
from openwarp.core.tlp import TLP

HUB = ExportSource(UUID("6f1c2d4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f"), "East Midlands WARP")
ORG = ExportSource(UUID("0b9f7c1e-2d3a-4e5f-8a6b-7c8d9e0f1a2b"), "Derby City Council")
PUBLISHED = datetime(2025, 3, 4, 13, 14, 15, 123456, tzinfo=UTC)
MODIFIED = datetime(2025, 3, 5, 8, 30, 0, tzinfo=UTC)

# Every kind the hub stores, with the pattern a STIX consumer must receive.
PATTERNS = {
    ("domain", "login-portal.example"): "[domain-name:value = 'login-portal.example']",
    ("ipv4", "185.220.101.4"): "[ipv4-addr:value = '185.220.101.4']",
    ("cidr", "198.51.100.0/24"): "[ipv4-addr:value = '198.51.100.0/24']",
    ("cidr", "2001:db8::/32"): "[ipv6-addr:value = '2001:db8::/32']",
    ("ipv6", "2001:db8::1"): "[ipv6-addr:value = '2001:db8::1']",
    ("url", "https://evil.example/it's?a=b"): r"[url:value = 'https://evil.example/it\'s?a=b']",
    ("md5", "d41d8cd98f00b204e9800998ecf8427e"): (
        "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']"
    ),
    ("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"): (
        "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']"
    ),
    ("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"): (
        "[file:hashes.'SHA-256' = "
        "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"
    ),
    ("email", "billing@supplier-payments.example"): (
        "[email-addr:value = 'billing@supplier-payments.example']"
    ),
    ("filename", "invoice, final.pdf.exe"): "[file:name = 'invoice, final.pdf.exe']",
    ("asn", "AS64500"): "[autonomous-system:number = 64500]",
    ("ip-port", "192.0.2.10:8443"): (
        "[network-traffic:dst_ref.type = 'ipv4-addr' AND "
        "network-traffic:dst_ref.value = '192.0.2.10' AND network-traffic:dst_port = 8443]"
    ),
    ("ip-port", "[2001:db8::5]:443"): (
        "[network-traffic:dst_ref.type = 'ipv6-addr' AND "
        "network-traffic:dst_ref.value = '2001:db8::5' AND network-traffic:dst_port = 443]"
    ),
}
ALL_INDICATORS = [ExportIndicator(k, v) for k, v in PATTERNS] + [
    ExportIndicator("cve", "CVE-2024-3400")
]
# Published by OASIS; written out here so a typo in openwarp.core.tlp fails a test.
OASIS_TLP2 = {
    TLP.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    TLP.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    TLP.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    TLP.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    TLP.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
STRICT = ValidationOptions(
    version="2.1", strict=True, strict_types=True, strict_properties=True, enforce_refs=True
)


def make_report(
    *,
    report_id: str = "3c1f5e7a-9b2d-4f6e-8a1c-5d7e9f0b2c4d",
    source: ExportSource | None = ORG,
    tlp: TLP = TLP.AMBER,
    indicators: list[ExportIndicator] | None = None,
    published: datetime = PUBLISHED,
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
        published=published,
        modified=MODIFIED,
        source=source,
        source_label="a district council in the East Midlands" if source is None else ORG.name,
        hub_identity=HUB,
        indicators=ALL_INDICATORS if indicators is None else indicators,
    )


def by_type(bundle: dict, stix_type: str) -> list[dict]:
    return [obj for obj in bundle["objects"] if obj["type"] == stix_type]


def assert_valid(bundle: dict) -> None:
    results = validate_instance(bundle, STRICT)
    messages = [str(error) for error in results.errors] + [str(w) for w in results.warnings]
    assert results.is_valid, messages
    assert messages == []


@pytest.mark.parametrize("tlp", list(TLP))
@pytest.mark.parametrize("source", [ORG, None], ids=["named", "anonymous"])
def test_bundle_with_every_kind_passes_the_strict_validator(
    tlp: TLP, source: ExportSource | None
) -> None:
    bundle = report_bundle([make_report(tlp=tlp, source=source)], hub=HUB)

    assert_valid(bundle)
    parsed = stix2.parse(bundle, allow_custom=False)
    assert len(parsed.objects) == len(bundle["objects"])


def test_validator_really_checks_what_we_rely_on() -> None:
    """Guards the guard: a pattern naming a property STIX does not define must
    fail, or a validator that lost its checks would pass anything. (It does not
    check hash names against the vocabulary: 'SHA256' passes, so the pattern
    test below pins 'SHA-256' itself.)"""
    bundle = report_bundle([make_report(indicators=ALL_INDICATORS[:1])], hub=HUB)
    (indicator,) = by_type(bundle, "indicator")
    indicator["pattern"] = indicator["pattern"].replace("domain-name:value", "domain-name:name")

    results = validate_instance(bundle, STRICT)
    assert not results.is_valid
    assert "'name' is not a valid property" in str(results.errors[0])


def test_each_kind_gets_the_pattern_a_consumer_can_match() -> None:
    bundle = report_bundle([make_report()], hub=HUB)

    patterns = {obj["name"]: obj["pattern"] for obj in by_type(bundle, "indicator")}
    assert patterns == {value: pattern for (_, value), pattern in PATTERNS.items()}
    for indicator in by_type(bundle, "indicator"):
        assert indicator["pattern_type"] == "stix"
        assert indicator["valid_from"] == "2025-03-04T13:14:15.123Z"
        # stix2 checks the pattern grammar when it builds the object.
        assert stix2.parse(indicator, allow_custom=False).pattern == indicator["pattern"]


def test_network_values_read_back_by_our_own_stix_reader() -> None:
    sweepable = [i for i in ALL_INDICATORS if i.kind in {"domain", "ipv4", "url", "md5", "email"}]
    bundle = report_bundle([make_report(indicators=sweepable)], hub=HUB)

    read = [pattern_values(obj["pattern"]) for obj in by_type(bundle, "indicator")]
    assert read == [[indicator.value] for indicator in sweepable]


def test_cve_ids_become_vulnerabilities_the_report_refers_to() -> None:
    bundle = report_bundle([make_report()], hub=HUB)

    (vulnerability,) = by_type(bundle, "vulnerability")
    assert vulnerability["name"] == "CVE-2024-3400"
    assert vulnerability["external_references"] == [
        {"source_name": "cve", "external_id": "CVE-2024-3400"}
    ]
    (report,) = by_type(bundle, "report")
    assert vulnerability["id"] in report["object_refs"]
    assert len(report["object_refs"]) == len(ALL_INDICATORS)


@pytest.mark.parametrize("tlp", list(TLP))
def test_every_object_carries_the_oasis_tlp2_marking_defined_in_the_bundle(tlp: TLP) -> None:
    bundle = report_bundle([make_report(tlp=tlp)], hub=HUB)

    (marking,) = by_type(bundle, "marking-definition")
    assert marking["id"] == OASIS_TLP2[tlp]
    assert marking["name"] == tlp.label
    extension = marking["extensions"]["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]
    assert extension == {"extension_type": "property-extension", "tlp_2_0": tlp.value}
    for obj in bundle["objects"]:
        if obj["type"] in {"report", "indicator", "vulnerability"}:
            assert obj["object_marking_refs"] == [OASIS_TLP2[tlp]]


def test_named_source_is_the_creator_with_millisecond_times() -> None:
    bundle = report_bundle([make_report(source=ORG)], hub=HUB)

    (identity,) = by_type(bundle, "identity")
    assert (identity["id"], identity["name"]) == (f"identity--{ORG.id}", ORG.name)
    (report,) = by_type(bundle, "report")
    assert report["created_by_ref"] == identity["id"]
    assert report["published"] == "2025-03-04T13:14:15.123Z"
    assert report["modified"] == "2025-03-05T08:30:00.000Z"
    assert report["name"] == "Invoice phishing against district councils"
    assert report["description"].startswith("Fake supplier invoices carrying a loader.\n\n")
    assert report["report_types"] == ["threat-report", "campaign"]


def test_anonymous_report_reveals_neither_organisation_nor_time_of_day() -> None:
    bundle = report_bundle([make_report(source=None)], hub=HUB)
    text = json.dumps(bundle)

    assert ORG.name not in text
    assert str(ORG.id) not in text
    assert ORG.id.hex not in text
    assert "a district council in the East Midlands" in by_type(bundle, "report")[0]["description"]
    (identity,) = by_type(bundle, "identity")
    assert identity["id"] == f"identity--{HUB.id}"
    for obj in by_type(bundle, "report") + by_type(bundle, "indicator"):
        assert obj["created_by_ref"] == identity["id"]
        for field in ("created", "modified", "published", "valid_from"):
            if field in obj:
                assert obj[field].endswith("T00:00:00.000Z"), (obj["id"], field, obj[field])


def test_each_revision_of_a_hidden_source_report_is_later_by_a_millisecond_only() -> None:
    def modified(revision: int, when: datetime) -> str:
        report = replace(make_report(source=None), modified=when, revision=revision)
        return str(by_type(report_bundle([report], hub=HUB), "report")[0]["modified"])

    same_day = MODIFIED.replace(hour=17)
    assert modified(1, MODIFIED) == "2025-03-05T00:00:00.001Z"
    assert modified(2, same_day) == "2025-03-05T00:00:00.002Z"  # no time of day, still newer
    named = replace(make_report(), modified=same_day, revision=2)
    assert by_type(report_bundle([named], hub=HUB), "report")[0]["modified"] == (
        "2025-03-05T17:30:00.000Z"
    )


def test_report_and_indicator_ids_do_not_depend_on_who_reported() -> None:
    """If ids were derived from the organisation, members could compare the ids
    of an anonymous report with the ones of that member's named reports."""
    other = ExportSource(UUID("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"), "Rutland County Council")
    one = make_report(source=None)

    anonymous = {o["id"] for o in report_bundle([one], hub=HUB)["objects"]}
    named = {o["id"] for o in report_bundle([replace(one, source=ORG)], hub=HUB)["objects"]}
    renamed = {o["id"] for o in report_bundle([replace(one, source=other)], hub=HUB)["objects"]}
    # Only the identity differs; report and indicator ids stay the same.
    assert named ^ renamed == {f"identity--{ORG.id}", f"identity--{other.id}"}
    assert anonymous - named == {f"identity--{HUB.id}"}


def test_order_of_anonymous_reports_does_not_betray_their_time_of_day() -> None:
    early = make_report(report_id="ffffffff-0000-4000-8000-000000000000", source=None)
    late = make_report(
        report_id="00000000-ffff-4fff-8fff-ffffffffffff",
        source=None,
        published=PUBLISHED.replace(hour=23),
    )

    bundle = report_bundle([early, late], hub=HUB)
    reports = [obj["id"] for obj in by_type(bundle, "report")]
    assert reports == [f"report--{late.id}", f"report--{early.id}"]  # by id, not by hour
    assert bundle == report_bundle([late, early], hub=HUB)


def test_re_export_gives_the_same_ids() -> None:
    first = report_bundle([make_report()], hub=HUB)
    again = report_bundle([make_report()], hub=HUB)

    assert first == again
    assert by_type(first, "report")[0]["id"] == "report--3c1f5e7a-9b2d-4f6e-8a1c-5d7e9f0b2c4d"


def test_several_reports_share_one_identity_and_marking_each() -> None:
    reports = [
        make_report(report_id="11111111-1111-4111-8111-111111111111", tlp=TLP.GREEN),
        make_report(report_id="22222222-2222-4222-8222-222222222222", tlp=TLP.GREEN),
        make_report(report_id="33333333-3333-4333-8333-333333333333", tlp=TLP.RED, source=None),
    ]
    bundle = report_bundle(reports, hub=HUB)

    assert_valid(bundle)
    assert [m["id"] for m in by_type(bundle, "marking-definition")] == [
        OASIS_TLP2[TLP.GREEN],
        OASIS_TLP2[TLP.RED],
    ]
    assert sorted(i["name"] for i in by_type(bundle, "identity")) == sorted([ORG.name, HUB.name])
    assert len(by_type(bundle, "report")) == 3


@pytest.mark.parametrize(
    ("confidence", "score"),
    [("confirmed", 90), ("probable", 70), ("possible", 50), ("doubtful", 30)],
)
def test_confidence_follows_the_stix_admiralty_mapping(confidence: str, score: int) -> None:
    bundle = report_bundle([make_report(confidence=confidence)], hub=HUB)

    scored = by_type(bundle, "report") + by_type(bundle, "indicator")
    assert {obj["confidence"] for obj in scored} == {score}


def test_report_without_indicators_is_still_valid() -> None:
    bundle = report_bundle([make_report(indicators=[])], hub=HUB)

    assert_valid(bundle)
    assert by_type(bundle, "report")[0]["object_refs"] == [f"identity--{ORG.id}"]


def test_unknown_indicator_kind_is_refused_by_name() -> None:
    report = make_report(indicators=[ExportIndicator("mutex", "Global\\evil")])

    with pytest.raises(InvalidInput, match="mutex"):
        report_bundle([report], hub=HUB)
