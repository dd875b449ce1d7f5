"""Version schemes reach matching: CVE 5 `versionType`, CSAF `vers:` ranges, purl rows.

The cases (`scheme_cases.py`) are real records and advisories around real CVEs,
with the verdict an analyst gives after reading the ecosystem's ordering.
"""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from tests.core.vulns.scheme_cases import (
    CSAF_CASES,
    CSAF_DOCS,
    CVE5_CASES,
    CVE5_IDS,
    Case,
    package_advisory,
)
from typer.testing import CliRunner

from openwarp.cli.main import app
from openwarp.core.vulns.csaf import load_csaf
from openwarp.core.vulns.inventory import make_item
from openwarp.core.vulns.matcher import InventoryIndex
from openwarp.core.vulns.model import Vulnerability
from openwarp.core.vulns.scheme_map import purl_scheme, scheme_for_version_type

_CVE_ID = re.compile(rb'"cveId":"(CVE-[0-9]+-[0-9]+)"')


def _judge(vuln: Vulnerability, row: dict[str, str]) -> Any:
    judged = InventoryIndex([make_item(1, row)]).match(vuln, include_not_affected=True)
    assert len(judged) == 1, f"{row} should be judged once against {vuln.cve_id}"
    return judged[0]


def _check(finding: Any, case: Case) -> None:
    assert str(finding.verdict) == case.verdict, finding.reason
    assert finding.evidence.get("version_scheme") == case.scheme, finding.evidence
    assert case.reason in finding.reason


@pytest.mark.parametrize("case", CVE5_CASES, ids=lambda c: f"{c.cve}-{next(iter(c.row.values()))}")
def test_real_records_are_compared_in_their_version_type(
    real_records: dict[str, Vulnerability], case: Case
) -> None:
    _check(_judge(real_records[case.cve], case.row), case)


def csaf_vulnerabilities(tmp_path: Path) -> dict[str, Vulnerability]:
    paths = []
    for name, doc in CSAF_DOCS.items():
        path = tmp_path / name
        path.write_bytes(orjson.dumps(doc))
        paths.append(path)
    return {v.cve_id: v for v in load_csaf(paths)}


def test_csaf_vers_ranges_keep_their_scheme(tmp_path: Path) -> None:
    django = csaf_vulnerabilities(tmp_path)["CVE-2024-42005"]
    [entry] = django.affected
    assert entry.versions[0] == {
        "status": "affected",
        "version": "4.2",
        "lessThan": "4.2.15",
        "versionType": "pypi",
    }
    assert entry.ecosystem == "pypi"
    # An exact version (product_version) carries its purl's scheme as well.
    [spring] = csaf_vulnerabilities(tmp_path)["CVE-2024-22259"].affected
    assert spring.versions == [
        {"status": "affected", "version": "5.3.32", "versionType": "maven"},
        {"status": "unaffected", "version": "5.3.33", "versionType": "maven"},
    ]


@pytest.mark.parametrize("case", CSAF_CASES, ids=lambda c: c.row["purl"])
def test_csaf_advisories_are_compared_in_their_vers_scheme(tmp_path: Path, case: Case) -> None:
    _check(_judge(csaf_vulnerabilities(tmp_path)[case.cve], case.row), case)


def test_version_types_and_purl_types_name_the_schemes() -> None:
    assert scheme_for_version_type("python") == scheme_for_version_type("PyPI") == "pypi"
    assert scheme_for_version_type("maven") == "maven"
    assert scheme_for_version_type("custom") is None
    assert scheme_for_version_type("rpm") == "rpm"  # compared for package-URL rows only
    assert scheme_for_version_type("patch") is None
    assert scheme_for_version_type("git") is None
    assert purl_scheme("pkg:maven/org.apache.james/apache-mime4j-dom@0.8.9") == "maven"
    assert purl_scheme("pkg:rpm/examplelinux/curl@8.6.0-1") == "rpm"
    assert purl_scheme("pkg:generic/curl@8.6.0") is None
    assert purl_scheme("cpe:2.3:a:x:y") is None


def _inventory(path: Path, cases: list[Case]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["vendor", "product", "version", "purl"])
        writer.writeheader()
        for case in cases:
            writer.writerow(case.row)


def write_records(shared_data: Path, path: Path) -> None:
    """The cases' records, copied line for line from the shared 2024 file (tmp only)."""
    wanted = {c.encode() for c in CVE5_IDS}
    with gzip.open(shared_data / "cve5" / "cve5-2024.jsonl.gz", "rb") as source:
        lines = [
            line
            for line in source
            if (match := _CVE_ID.search(line)) is not None and match.group(1) in wanted
        ]
    assert len(lines) == len(wanted)
    path.write_bytes(b"".join(lines))


def test_the_offline_command_gives_the_table_verdicts(tmp_path: Path, shared_data: Path) -> None:
    cases = CVE5_CASES + CSAF_CASES
    _inventory(tmp_path / "inventory.csv", cases)
    write_records(shared_data, tmp_path / "records.jsonl")
    csaf = tmp_path / "csaf"
    csaf.mkdir()
    csaf_vulnerabilities(csaf)
    result = CliRunner().invoke(
        app,
        [
            "exposure", "match", "--inventory", str(tmp_path / "inventory.csv"),
            "--cve5", str(tmp_path / "records.jsonl"), "--csaf", str(csaf),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    found = {(f["row"], f["cve"]): f for f in orjson.loads(result.stdout)}
    for number, case in enumerate(cases, start=1):
        finding = found.get((number, case.cve))
        if case.verdict == "not_affected":
            assert finding is None, (case, finding)
            continue
        assert finding is not None, case
        assert finding["verdict"] == case.verdict, (case, finding["reason"])
        assert finding["evidence"].get("version_scheme") == case.scheme
        assert case.reason in finding["reason"]


@pytest.mark.parametrize(
    ("version", "verdict"),
    [
        ("4.2", "not_affected"),
        ("4.2.1", "affected"),
        ("4.2.3", "not_affected"),
        ("4.2.14", "affected"),
    ],
)
def test_exclusive_and_excluded_vers_bounds_are_kept(
    tmp_path: Path, version: str, verdict: str
) -> None:
    doc = package_advisory(
        advisory="EXC-2024-0009",
        cve="CVE-2024-42005",
        vendor="Django Software Foundation",
        product="Django",
        purl="pkg:pypi/django",
        affected="vers:pypi/>4.2|!=4.2.3|<4.2.15",
        fixed="4.2.15",
    )
    path = tmp_path / "django.json"
    path.write_bytes(orjson.dumps(doc))
    [vuln] = load_csaf([path])
    assert str(_judge(vuln, {"purl": f"pkg:pypi/django@{version}"}).verdict) == verdict
