"""CSAF 2.0: product tree to product ids to product status, merged with CVE 5 records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from tests.core.vulns.csaf_docs import distributor_curl_advisory, whatsup_gold_advisory

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.csaf import load_csaf
from openwarp.core.vulns.cve5 import load_cve5
from openwarp.core.vulns.inventory import make_item
from openwarp.core.vulns.matcher import InventoryIndex
from openwarp.core.vulns.model import Verdict
from openwarp.core.vulns.sources import combine_sources


def _write(tmp_path: Path, doc: Any, name: str = "advisory.json") -> Path:
    path = tmp_path / name
    path.write_bytes(orjson.dumps(doc))
    return path


def _row(**values: str) -> Any:
    return make_item(1, values)


def test_product_ids_become_version_entries_with_their_status(tmp_path: Path) -> None:
    [vuln] = load_csaf([_write(tmp_path, whatsup_gold_advisory())])
    assert vuln.cve_id == "CVE-2024-5009" and vuln.cvss_score == 8.4
    by_platform = {e.platforms: e for e in vuln.affected}
    plain = by_platform[()]
    assert plain.source == "csaf:Progress Software"
    assert plain.vendor == "Progress Software" and plain.product == "WhatsUp Gold"
    assert plain.versions == [
        # the vers scheme travels as versionType ("generic": the vendor comparator)
        {
            "status": "affected",
            "version": "2023.1.0",
            "lessThan": "2023.1.3",
            "versionType": "generic",
        },
        {"status": "unaffected", "version": "2023.1.3"},
        {"status": "unaffected", "version": "2022.0.1"},
    ]
    assert plain.cpes == ("cpe:2.3:a:progress:whatsup_gold:*:*:*:*:*:*:*:*",)
    assert plain.json_path == "PRGS-2024-5009: $.vulnerabilities[0].product_status.known_affected"
    on_windows = by_platform[("Microsoft Windows Server 2019",)]
    assert on_windows.versions == [{"status": "unaffected", "version": "2023.1.3"}]


@pytest.mark.parametrize(
    ("version", "verdict"),
    [
        ("2023.1.2", Verdict.AFFECTED),
        ("2023.1.3", Verdict.NOT_AFFECTED),
        ("2022.0.1", Verdict.NOT_AFFECTED),
    ],
)
def test_the_matcher_reads_an_advisory_like_a_record(
    tmp_path: Path, version: str, verdict: Verdict
) -> None:
    [vuln] = load_csaf([_write(tmp_path, whatsup_gold_advisory())])
    item = _row(vendor="Progress", product="WhatsUp Gold", version=version)
    judged = InventoryIndex([item]).match(vuln, include_not_affected=True)
    assert [f.verdict for f in judged] == [verdict]
    assert judged[0].evidence["source"] == "csaf:Progress Software"


def test_a_package_the_record_does_not_name_is_warned_from_the_advisory(
    tmp_path: Path, shared_data: Path
) -> None:
    records = load_cve5([shared_data / "cve5" / "sample" / "CVE-2024-2466.json"]).records
    advisory = load_csaf([_write(tmp_path, distributor_curl_advisory())])
    [vuln] = combine_sources(records, csaf=advisory)
    assert {"cna", "csaf:Example Linux"} <= {e.source for e in vuln.affected}
    ours = _row(purl="pkg:rpm/examplelinux/curl@8.6.0-1")
    patched = _row(purl="pkg:rpm/examplelinux/curl@8.7.1-1")
    upstream = _row(vendor="curl", product="curl", version="8.6.0")
    index = InventoryIndex([ours, patched, upstream])
    found = {f.item.purl or f.item.label(): f for f in index.match(vuln)}
    assert set(found) == {"pkg:rpm/examplelinux/curl@8.6.0-1", "curl curl 8.6.0"}
    evidence = found["pkg:rpm/examplelinux/curl@8.6.0-1"].evidence
    assert evidence["source"] == "csaf:Example Linux"
    assert evidence["json_path"].startswith("ELSA-2024-0001: $.vulnerabilities[0]")
    assert found["curl curl 8.6.0"].evidence["source"] == "cna"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["document"].update(csaf_version="1.2"), "$.document.csaf_version"),
        (
            lambda d: d["vulnerabilities"][0]["product_status"]["fixed"].append("NOPE"),
            "$.vulnerabilities[0].product_status.fixed[2]: 'NOPE' is not in the product tree",
        ),
        (lambda d: d["vulnerabilities"][0].update(cve="CVE-24-1"), "$.vulnerabilities[0].cve"),
        (
            lambda d: d["product_tree"]["branches"][0]["branches"][0]["branches"][0].update(
                name="vers:generic/<2023.1.3|>=2023.1.0"
            ),
            "$.product_tree.branches[0].branches[0].branches[0].product",
        ),
        (lambda d: d["document"]["tracking"].pop("id"), "$.document.tracking.id: missing"),
    ],
)
def test_bad_input_is_named_by_json_path_and_nothing_is_returned(
    tmp_path: Path, change: Any, where: str
) -> None:
    good = _write(tmp_path, distributor_curl_advisory(), "a-good.json")
    doc = whatsup_gold_advisory()
    change(doc)
    bad = _write(tmp_path, doc, "b-bad.json")
    with pytest.raises(InvalidInput) as caught:
        load_csaf([good, bad])
    assert f"b-bad.json: {where}" in caught.value.message


def test_broken_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"document": ')
    with pytest.raises(InvalidInput, match=r"broken\.json: broken JSON"):
        load_csaf([tmp_path])
