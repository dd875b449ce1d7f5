"""NVD CVE API 2.0 files and CSAF 2.0 advisories loaded into the hub beside CVE 5 records."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
from typer.testing import CliRunner

from openwarp.cli.main import app
from openwarp.hub.exposure.models import CpeName, DataLoad, ExposureWarning, Vulnerability
from openwarp.hub.exposure.services.data import vulnerability_data_load
from openwarp.hub.exposure.services.matching import exposure_rematch
from openwarp.hub.members.policy import Role
from tests.core.vulns.csaf_docs import distributor_curl_advisory, whatsup_gold_advisory
from tests.hub.exposure.conftest import add_rows
from tests.world import World

WHATSUP_CPE = "cpe:2.3:a:progress:whatsup_gold:*:*:*:*:*:*:*:*"
WINDOWS_CPE = "cpe:2.3:o:microsoft:windows_server_2019:-:*:*:*:*:*:*:*"
WHATSUP = {"vendor": "Progress", "product": "WhatsUp Gold", "version": "2023.1.2"}


def nvd_response() -> dict[str, Any]:
    """An NVD API 2.0 page for CVE-2024-5009 in NVD's shape: the flaw counts only when
    WhatsUp Gold runs on Windows Server 2019 (an AND with a platform node)."""
    return {
        "resultsPerPage": 1,
        "startIndex": 0,
        "totalResults": 1,
        "format": "NVD_CVE",
        "version": "2.0",
        "vulnerabilities": [
            {
                "cve": {
                    "id": "CVE-2024-5009",
                    "vulnStatus": "Analyzed",
                    "descriptions": [{"lang": "en", "value": "WhatsUp Gold access control"}],
                    "configurations": [
                        {
                            "operator": "AND",
                            "nodes": [
                                {
                                    "operator": "OR",
                                    "cpeMatch": [
                                        {
                                            "vulnerable": True,
                                            "criteria": WHATSUP_CPE,
                                            "versionStartIncluding": "2023.1.0",
                                            "versionEndExcluding": "2023.1.3",
                                        }
                                    ],
                                },
                                {
                                    "operator": "OR",
                                    "cpeMatch": [
                                        {
                                            "vulnerable": False,
                                            "criteria": WINDOWS_CPE,
                                        }
                                    ],
                                },
                            ],
                        }
                    ],
                }
            }
        ],
    }


def _json(tmp_path: Path, name: str, doc: Any) -> Path:
    path = tmp_path / name
    path.write_bytes(orjson.dumps(doc))
    return path


def test_nvd_configurations_decide_with_the_platform_the_member_runs(
    world: World, sample_dir: Path, tmp_path: Path
) -> None:
    add_rows(world.own, [WHATSUP])
    nvd = _json(tmp_path, "nvd.json", nvd_response())
    result = CliRunner().invoke(
        app, ["exposure", "load", "--cve5", str(sample_dir), "--nvd", str(nvd)]
    )
    assert result.exit_code == 0, result.output
    warning = ExposureWarning.objects.get(organisation=world.own, cve_id="CVE-2024-5009")
    assert warning.verdict == "needs_review" and warning.evidence["source"] == "nvd"
    assert "platform not in the inventory" in warning.reason
    windows = {
        "vendor": "Microsoft",
        "product": "Windows Server 2019",
        "version": "10.0.17763.5400",
    }
    add_rows(world.own, [windows])  # typed as text, with its build: still that platform
    exposure_rematch(organisation_ids=[world.own.pk])
    warning.refresh_from_db()
    assert warning.verdict == "affected" and "running on" in warning.reason
    assert CpeName.objects.filter(vendor="progress", product="whatsup_gold").exists()


def test_a_csaf_advisory_warns_a_package_and_survives_reloading_the_record(
    world: World, sample_dir: Path, tmp_path: Path
) -> None:
    add_rows(world.own, [{"purl": "pkg:rpm/examplelinux/curl@8.6.0-1", "internet_facing": True}])
    csaf = _json(tmp_path, "elsa.json", distributor_curl_advisory())
    vulnerability_data_load(actor=None, cve5_paths=[sample_dir], csaf_paths=[csaf])
    exposure_rematch()
    warning = ExposureWarning.objects.get(organisation=world.own, cve_id="CVE-2024-2466")
    assert warning.verdict == "affected"
    assert warning.evidence["source"] == "csaf:Example Linux"
    assert warning.evidence["json_path"].startswith("ELSA-2024-0001: $.vulnerabilities[0]")
    vulnerability_data_load(actor=None, cve5_paths=[sample_dir])  # the CNA record again
    stored = Vulnerability.objects.get(cve_id="CVE-2024-2466")
    assert {e["s"] for e in stored.affected} >= {"cna", "csaf:Example Linux"}
    exposure_rematch()
    warning.refresh_from_db()
    assert warning.active and warning.evidence["source"] == "csaf:Example Linux"


def test_an_advisory_alone_stores_its_cve_and_a_second_load_replaces_its_entries(
    world: World, tmp_path: Path
) -> None:
    add_rows(world.own, [WHATSUP])
    doc = whatsup_gold_advisory()
    vulnerability_data_load(actor=None, csaf_paths=[_json(tmp_path, "a.json", doc)])
    doc["vulnerabilities"][0]["product_status"]["known_affected"] = []
    doc["vulnerabilities"][0]["product_status"]["fixed"].append("WUG-2023.1-VULN")
    vulnerability_data_load(actor=None, csaf_paths=[_json(tmp_path, "b.json", doc)])
    stored = Vulnerability.objects.get(cve_id="CVE-2024-5009")
    statuses = [v["status"] for e in stored.affected for v in e.get("ver", [])]
    assert "affected" not in statuses  # the revised advisory replaced the first
    exposure_rematch()
    assert not ExposureWarning.objects.filter(cve_id="CVE-2024-5009", active=True).exists()


def test_a_bad_advisory_is_named_by_json_path_and_nothing_is_stored(
    db: None, sample_dir: Path, tmp_path: Path
) -> None:
    doc = whatsup_gold_advisory()
    doc["vulnerabilities"][0]["product_status"]["known_affected"] = ["WUG-9"]
    bad = _json(tmp_path, "bad.json", doc)
    result = CliRunner().invoke(
        app, ["exposure", "load", "--cve5", str(sample_dir), "--csaf", str(bad)]
    )
    assert result.exit_code == 2
    assert (
        "bad.json: $.vulnerabilities[0].product_status.known_affected[0]: 'WUG-9' is not in "
        "the product tree" in result.output
    )
    assert not Vulnerability.objects.exists() and not DataLoad.objects.exists()


def test_a_bad_nvd_file_is_named_and_nothing_is_stored(
    db: None, sample_dir: Path, tmp_path: Path
) -> None:
    doc = nvd_response()
    doc["vulnerabilities"][0]["cve"]["configurations"][0]["nodes"][1]["cpeMatch"][0].pop(
        "vulnerable"
    )
    bad = _json(tmp_path, "nvd.json", doc)
    result = CliRunner().invoke(
        app, ["exposure", "load", "--cve5", str(sample_dir), "--nvd", str(bad)]
    )
    assert result.exit_code == 2
    assert (
        "nvd.json: $.vulnerabilities[0].cve.configurations[0].nodes[1].cpeMatch[0].vulnerable"
        in result.output
    )
    assert not Vulnerability.objects.exists()


def test_the_coordinator_uploads_an_advisory_on_the_feeds_page(
    world: World, tmp_path: Path
) -> None:
    client = world.client(Role.COORDINATOR)
    file = io.BytesIO(orjson.dumps(whatsup_gold_advisory()))
    file.name = "prgs.json"
    response = client.post("/exposure/feeds/", {"csaf": file}, follow=True)
    assert response.status_code == 200 and "Loaded." in response.content.decode()
    assert Vulnerability.objects.filter(cve_id="CVE-2024-5009").exists()
    broken = io.BytesIO(b'{"document": {"csaf_version": "2.0"}}')
    broken.name = "broken.json"
    page = client.post("/exposure/feeds/", {"csaf": broken}).content.decode()
    assert "broken.json: $.document.tracking: missing" in page
