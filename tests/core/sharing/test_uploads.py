"""Files of indicators attached to a report: real STIX (built with stix2), real
MISP events (built with PyMISP), CSV and plain lists; broken files named."""

from __future__ import annotations

import json

import pytest
import stix2
from pymisp import MISPEvent, MISPObject

from openwarp.core.errors import InvalidInput
from openwarp.core.sharing.paste import MAX_INDICATORS
from openwarp.core.sharing.uploads import MAX_UPLOAD_BYTES, parse_upload


def _values(name: str, data: bytes) -> list[tuple[str, str]]:
    return [(i.kind, i.value) for i in parse_upload(name, data).indicators]


def _stix_bundle() -> bytes:
    objects = [
        stix2.Indicator(
            pattern="[domain-name:value = 'Evil-Payroll.example'] OR "
            "[ipv4-addr:value = '198.51.100.23']",
            pattern_type="stix",
        ),
        stix2.Indicator(pattern="[file:name = 'invoice.pdf.exe']", pattern_type="stix"),
        stix2.Indicator(
            pattern="[ipv4-addr:value = '198.51.100.9' AND network-traffic:dst_port = 443]",
            pattern_type="stix",
        ),
        stix2.URL(value="https://evil-payroll.example/login"),
        stix2.File(
            hashes={"SHA-256": "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"}
        ),
        stix2.AutonomousSystem(number=64500),
        stix2.Vulnerability(
            name="Ivanti gateway flaw",
            external_references=[{"source_name": "cve", "external_id": "cve-2024-21887"}],
        ),
        stix2.Malware(name="Loader", is_family=True),
    ]
    return stix2.Bundle(objects=objects).serialize().encode()


def test_a_stix_bundle_gives_patterns_observables_and_cve_ids() -> None:
    upload = parse_upload("campaign.json", _stix_bundle())
    assert [(i.kind, i.value) for i in upload.indicators] == [
        ("domain", "evil-payroll.example"),
        ("ipv4", "198.51.100.23"),
        ("filename", "invoice.pdf.exe"),
        ("url", "https://evil-payroll.example/login"),
        ("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("asn", "AS64500"),
        ("cve", "CVE-2024-21887"),
    ]
    # The AND pattern describes behaviour, not a value: listed, not half-kept.
    assert upload.not_kept == [
        ("objects[2].pattern", "only patterns of single values joined by OR are kept")
    ]


def test_a_misp_event_gives_attributes_and_object_attributes() -> None:
    event = MISPEvent()
    event.info = "Phishing wave"
    event.add_attribute("domain", "login-council.example")
    event.add_attribute("ip-dst|port", "203.0.113.5|8443")
    event.add_attribute("filename|md5", "payload.dll|d41d8cd98f00b204e9800998ecf8427e")
    event.add_attribute("vulnerability", "CVE-2023-4966")
    event.add_attribute("comment", "seen on Tuesday")
    sender = MISPObject("email")
    sender.add_attribute("from", value="hr@login-council.example")
    event.add_object(sender)
    upload = parse_upload("event.json", event.to_json().encode())
    assert [(i.kind, i.value) for i in upload.indicators] == [
        ("domain", "login-council.example"),
        ("ip-port", "203.0.113.5:8443"),
        ("filename", "payload.dll"),
        ("md5", "d41d8cd98f00b204e9800998ecf8427e"),
        ("cve", "CVE-2023-4966"),
        ("email", "hr@login-council.example"),
    ]
    assert upload.not_kept == [("Event.Attribute[4].type", "MISP type 'comment' is not kept")]


def test_a_csv_names_its_value_column_and_rows_not_kept_by_line() -> None:
    data = (
        b"type,indicator,comment\n"
        b"domain,bad-domain.example,phish\n"
        b"ip,198.51.100.40,c2\n"
        b"note,please block these,\n"
        b"hash,,\n"
    )
    upload = parse_upload("iocs.csv", data)
    assert [(i.kind, i.value) for i in upload.indicators] == [
        ("domain", "bad-domain.example"),
        ("ipv4", "198.51.100.40"),
    ]
    assert [where for where, _ in upload.not_kept] == ["line 4", "line 5"]


def test_a_plain_list_reads_like_pasted_text() -> None:
    assert _values("list.txt", b"hxxp://evil[.]example/a\n# comment\n10.0.0.300\n") == [
        ("url", "http://evil.example/a")
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bad.json", b'{"type": "bundle",\n "objects": [}', "bad.json: line 2, column 14"),
        ("odd.json", b'{"hello": "world"}', "neither a STIX 2.1 bundle nor a MISP event"),
        ("b.json", b'{"type": "bundle", "objects": [{"id": "x"}]}', "b.json: objects[0]"),
        (
            "old.json",
            b'{"type": "bundle", "objects": [{"type": "indicator", "spec_version": "2.0"}]}',
            "objects[0].spec_version",
        ),
        ("e.json", b'{"Event": {"Attribute": [{"type": "domain"}]}}', "Event.Attribute[0]"),
        ("x.csv", b"name,colour\nevil.example,red\n", "x.csv: line 1: no value column"),
        ("bin.txt", b"evil.example\n\xff\xfe\x00", "bin.txt: byte 14 is not UTF-8"),
    ],
)
def test_broken_files_are_refused_by_name_and_position(
    name: str, data: bytes, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message.replace("[", r"\[").replace("]", r"\]")) as err:
        parse_upload(name, data)
    assert err.value.field == "indicators_file"


def test_oversized_and_overfull_files_are_refused() -> None:
    with pytest.raises(InvalidInput, match="larger than the 5 MB"):
        parse_upload("big.txt", b"a" * (MAX_UPLOAD_BYTES + 1))
    rows = "".join(f"host{n}.evil.example\n" for n in range(MAX_INDICATORS + 1))
    with pytest.raises(InvalidInput, match=f"list.txt: more than {MAX_INDICATORS}"):
        parse_upload("list.txt", rows.encode())
    bundle = {
        "type": "bundle",
        "objects": [
            {"type": "domain-name", "value": f"h{n}.evil.example"}
            for n in range(MAX_INDICATORS + 1)
        ],
    }
    with pytest.raises(InvalidInput, match=rf"objects\[{MAX_INDICATORS}\].value: more than"):
        parse_upload("many.json", json.dumps(bundle).encode())
