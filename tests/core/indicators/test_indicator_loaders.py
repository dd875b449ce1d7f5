"""Loading indicator sets from the files members are given."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators import load_indicators, load_warninglists
from openwarp.core.indicators.markings import STIX_TLP_IDS

SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
AMBER = next(k for k, v in STIX_TLP_IDS.items() if v == "amber" and "55d920b0" in k)
RED = next(k for k, v in STIX_TLP_IDS.items() if v == "red" and "e828b379" in k)


def _values(path: Path) -> dict[str, tuple[str, str | None, str | None]]:
    report = load_indicators([path])
    return {i.value: (str(i.type), i.report, i.tlp) for i in report.indicators.indicators}


def test_plain_list_with_comments_and_defanged_values(tmp_path: Path) -> None:
    path = tmp_path / "iocs.txt"
    path.write_text("# from report 7\nevil[.]com\n\n1.2.3.4  # C2\n/bare/path\nhxxp://bad.org/x\n")
    report = load_indicators([path])
    assert {i.value: str(i.type) for i in report.indicators.indicators} == {
        "evil[.]com": "domain",
        "1.2.3.4": "ipv4",
        "hxxp://bad.org/x": "url",
    }
    assert sum(report.rejected.values()) == 1
    assert report.examples == [f"{path}:5: '/bare/path' is a bare path; a sweep needs a host"]


def test_csv_with_header_names_value_report_and_tlp(tmp_path: Path) -> None:
    path = tmp_path / "iocs.csv"
    path.write_text(
        'type,value,report,tlp\ndomain,evil.com,"Op Fog, part 2",TLP:AMBER\nip,1.2.3.4,,\n'
    )
    assert _values(path) == {
        "evil.com": ("domain", "Op Fog, part 2", "amber"),
        "1.2.3.4": ("ipv4", None, None),
    }


def test_stix_bundle_equality_patterns_reports_and_markings(tmp_path: Path) -> None:
    bundle = {
        "type": "bundle",
        "id": "bundle--1",
        "objects": [
            {
                "type": "indicator",
                "id": "indicator--a",
                "pattern_type": "stix",
                "pattern": "[domain-name:value = 'evil.com'] OR "
                "[ipv4-addr:value = '203.0.113.0/24']",
                "object_marking_refs": [AMBER],
            },
            {
                "type": "indicator",
                "id": "indicator--b",
                "pattern_type": "stix",
                "pattern": f"[file:hashes.'SHA-256' = '{SHA}']",
                "object_marking_refs": [AMBER, RED],
            },
            {
                "type": "indicator",
                "id": "indicator--c",
                "pattern_type": "stix",
                "pattern": "[url:value = 'http://x.org/' AND ipv4-addr:value = '1.1.1.1']",
            },
            {"type": "indicator", "id": "indicator--d", "pattern_type": "sigma", "pattern": "..."},
            {
                "type": "report",
                "id": "report--r",
                "name": "Op Fog",
                "object_refs": ["indicator--a", "indicator--b"],
            },
        ],
    }
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    report = load_indicators([path])
    got = {i.value: (str(i.type), i.report, i.tlp) for i in report.indicators.indicators}
    assert got == {
        "evil.com": ("domain", "Op Fog", "amber"),
        "203.0.113.0/24": ("cidr", "Op Fog", "amber"),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855": (
            "sha256",
            "Op Fog",
            "red",
        ),
    }
    assert sum(report.rejected.values()) == 1  # the AND pattern is refused, not half-used


def test_misp_event_uses_ids_attributes_objects_and_tlp_tags(tmp_path: Path) -> None:
    event = {
        "Event": {
            "info": "Phishing wave",
            "Tag": [{"name": "tlp:green"}],
            "Attribute": [
                {"type": "domain", "value": "evil.com", "to_ids": True},
                {"type": "ip-dst|port", "value": "203.0.113.9|8443", "to_ids": True},
                {"type": "domain", "value": "context-only.org", "to_ids": False},
                {
                    "type": "filename|md5",
                    "value": "a.exe|d41d8cd98f00b204e9800998ecf8427e",
                    "to_ids": True,
                    "Tag": [{"name": "tlp:amber"}],
                },
            ],
            "Object": [
                {"Attribute": [{"type": "url", "value": "http://evil.com/k", "to_ids": True}]}
            ],
        }
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    assert _values(path) == {
        "evil.com": ("domain", "Phishing wave", "green"),
        "203.0.113.9:8443": ("ip-port", "Phishing wave", "green"),
        "d41d8cd98f00b204e9800998ecf8427e": ("md5", "Phishing wave", "amber"),
        "http://evil.com/k": ("url", "Phishing wave", "green"),
    }


def test_unreadable_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(InvalidInput, match=r"broken\.json"):
        load_indicators([path])


def test_real_maltrail_trails_load_with_reports_and_counts(shared_data: Path) -> None:
    report = load_indicators([shared_data / "iocs" / "maltrail-static.tsv.gz"])
    counts = report.indicators.counts()
    # The README's census: ~1.37M domains, 285k ip:port, 94k bare paths, 61k URLs...
    assert counts["domain"] > 1_100_000 and counts["ip-port"] > 200_000 and counts["cidr"] > 1000
    assert report.rejected["value is a bare path; a sweep needs a host"] > 90_000
    remcos = [i for i in report.indicators.indicators if i.report == "malware/remcos.txt"]
    assert len(remcos) > 100 and all(i.tlp == "clear" for i in remcos)


def test_warninglists_skip_noise_but_not_attacker_infrastructure(
    shared_data: Path, tmp_path: Path
) -> None:
    lists = load_warninglists(shared_data / "warninglists" / "warninglists.jsonl.gz")
    path = tmp_path / "iocs.txt"
    values = [
        "8.8.8.8",
        "google.com",
        "d41d8cd98f00b204e9800998ecf8427e",
        "10.1.2.3",
        "c2-node.duckdns.org",
        "evil-unlisted-domain.com",
        "203.0.113.66",
    ]
    path.write_text("\n".join(values) + "\n")
    report = load_indicators([path], warninglists=lists)
    kept = {i.value for i in report.indicators.indicators}
    assert kept == {"c2-node.duckdns.org", "evil-unlisted-domain.com"}
    assert sum(report.warninglisted.values()) == 5
    assert any("RFC 1918" in name for name in report.warninglisted)  # 10.1.2.3
    assert any("RFC 5735" in name for name in report.warninglisted)  # 203.0.113.66, documentation


def test_gzip_plain_list_is_read(tmp_path: Path) -> None:
    path = tmp_path / "iocs.txt.gz"
    path.write_bytes(gzip.compress(b"evil.com\n"))
    assert set(_values(path)) == {"evil.com"}
