"""NVD API 2.0 configurations, hand-written in the shapes NVD publishes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.inventory import make_item
from openwarp.core.vulns.matcher import InventoryIndex
from openwarp.core.vulns.model import InventoryItem, Verdict, Vulnerability
from openwarp.core.vulns.nvd import load_nvd


def _match(criteria: str, vulnerable: bool = True, **bounds: str) -> dict[str, Any]:
    return {"vulnerable": vulnerable, "criteria": criteria, "matchCriteriaId": "X", **bounds}


def _node(*matches: dict[str, Any], operator: str = "OR", negate: bool = False) -> dict[str, Any]:
    return {"operator": operator, "negate": negate, "cpeMatch": list(matches)}


def _load(tmp_path: Path, *configs: dict[str, Any]) -> Vulnerability:
    doc = {
        "resultsPerPage": 1,
        "format": "NVD_CVE",
        "version": "2.0",
        "vulnerabilities": [
            {
                "cve": {
                    "id": "CVE-2099-0001",
                    "vulnStatus": "Analyzed",
                    "configurations": list(configs),
                    "metrics": {
                        "cvssMetricV31": [{"type": "Primary", "cvssData": {"baseScore": 9.8}}]
                    },
                }
            }
        ],
    }
    path = tmp_path / "nvd.json"
    path.write_bytes(orjson.dumps(doc))
    return load_nvd([path])["CVE-2099-0001"]


def _verdicts(vuln: Vulnerability, *rows: dict[str, str]) -> dict[int, Verdict]:
    items: list[InventoryItem] = [make_item(i + 1, r) for i, r in enumerate(rows)]
    index = InventoryIndex(items)
    return {pos + 1: j.verdict for pos, j, _ in index.match_rows(vuln, include_not_affected=True)}


HTTPD = {
    "nodes": [
        _node(
            _match(
                "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*",
                versionStartIncluding="2.4.0",
                versionEndIncluding="2.4.59",
            )
        )
    ]
}


def test_version_range_with_inclusive_end(tmp_path: Path) -> None:
    vuln = _load(tmp_path, HTTPD)
    got = _verdicts(
        vuln,
        {"vendor": "Apache", "product": "HTTP Server", "version": "2.4.59"},
        {"vendor": "Apache", "product": "http_server", "version": "2.4.60"},
        {"vendor": "Apache", "product": "http_server", "version": "2.4.9"},
        {"vendor": "Apache", "product": "http_server"},
    )
    assert got == {
        1: Verdict.AFFECTED,
        2: Verdict.NOT_AFFECTED,
        3: Verdict.AFFECTED,
        4: Verdict.NEEDS_REVIEW,
    }
    assert vuln.cvss_score == 9.8


def test_exclusive_bounds_leave_the_boundary_versions_out(tmp_path: Path) -> None:
    vuln = _load(
        tmp_path,
        {
            "nodes": [
                _node(
                    _match(
                        "cpe:2.3:a:vendor:app:*:*:*:*:*:*:*:*",
                        versionStartExcluding="1.0",
                        versionEndExcluding="2.0",
                    )
                )
            ]
        },
    )
    got = _verdicts(
        vuln,
        *(
            {"vendor": "vendor", "product": "app", "version": v}
            for v in ("1.0", "1.0.1", "1.9.9", "2.0")
        ),
    )
    assert got == {
        1: Verdict.NOT_AFFECTED,
        2: Verdict.AFFECTED,
        3: Verdict.AFFECTED,
        4: Verdict.NOT_AFFECTED,
    }


RUNNING_ON = {
    "operator": "AND",
    "nodes": [
        _node(_match("cpe:2.3:o:cisco:ios_xe:17.9.4:*:*:*:*:*:*:*")),
        _node(_match("cpe:2.3:h:cisco:catalyst_9300:-:*:*:*:*:*:*:*", vulnerable=False)),
    ],
}


def test_running_on_platform_missing_from_the_inventory_needs_review(tmp_path: Path) -> None:
    """grype#1349: the AND platform node may not be dropped, nor assumed true."""
    vuln = _load(tmp_path, RUNNING_ON)
    got = _verdicts(vuln, {"vendor": "Cisco", "product": "IOS XE", "version": "17.9.4"})
    assert got == {1: Verdict.NEEDS_REVIEW}


def test_running_on_platform_present_in_the_same_organisation(tmp_path: Path) -> None:
    vuln = _load(tmp_path, RUNNING_ON)
    rows = [
        {"vendor": "Cisco", "product": "IOS XE", "version": "17.9.4", "org": "a"},
        {"cpe": "cpe:2.3:h:cisco:catalyst_9300:-:*:*:*:*:*:*:*", "org": "a"},
        {"vendor": "Cisco", "product": "IOS XE", "version": "17.9.4", "org": "b"},
    ]
    got = _verdicts(vuln, *rows)
    assert got == {1: Verdict.AFFECTED, 3: Verdict.NEEDS_REVIEW}


def test_a_platform_named_without_versions_is_any_row_of_that_product(tmp_path: Path) -> None:
    """`catalyst_9300:-` names the model; a row typed as text, or with a version, is it."""
    vuln = _load(tmp_path, RUNNING_ON)
    rows = [
        {"vendor": "Cisco", "product": "IOS XE", "version": "17.9.4", "org": "a"},
        {"vendor": "Cisco", "product": "Catalyst 9300", "org": "a"},
        {"vendor": "Cisco", "product": "IOS XE", "version": "17.9.4", "org": "b"},
        {"vendor": "Cisco", "product": "Catalyst 9300", "version": "V02", "org": "b"},
        {"vendor": "Cisco", "product": "IOS XE", "version": "17.9.4", "org": "c"},
        {"vendor": "Cisco", "product": "Catalyst 9500", "org": "c"},
    ]
    got = _verdicts(vuln, *rows)
    assert got == {1: Verdict.AFFECTED, 3: Verdict.AFFECTED, 5: Verdict.NEEDS_REVIEW}


def test_running_on_a_platform_version_outside_the_range_is_not_affected(tmp_path: Path) -> None:
    vuln = _load(
        tmp_path,
        {
            "operator": "AND",
            "nodes": [
                _node(_match("cpe:2.3:a:vendor:agent:*:*:*:*:*:*:*:*", versionEndExcluding="3.0")),
                _node(
                    _match(
                        "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*",
                        vulnerable=False,
                        versionEndExcluding="5.0",
                    )
                ),
            ],
        },
    )
    got = _verdicts(
        vuln,
        {"vendor": "vendor", "product": "agent", "version": "2.5"},
        {"vendor": "Linux", "product": "Linux Kernel", "version": "6.1.90"},
    )
    assert got == {1: Verdict.NOT_AFFECTED}


def test_negated_node_excludes_organisations_with_the_mitigating_component(tmp_path: Path) -> None:
    vuln = _load(
        tmp_path,
        {
            "operator": "AND",
            "nodes": [
                _node(_match("cpe:2.3:a:vendor:portal:*:*:*:*:*:*:*:*", versionEndExcluding="5.0")),
                _node(
                    _match("cpe:2.3:a:vendor:hardening_pack:*:*:*:*:*:*:*:*", vulnerable=False),
                    negate=True,
                ),
            ],
        },
    )
    rows = [
        {"vendor": "vendor", "product": "portal", "version": "4.2", "org": "a"},
        {"vendor": "vendor", "product": "hardening pack", "version": "1.0", "org": "a"},
        {"vendor": "vendor", "product": "portal", "version": "4.2", "org": "b"},
    ]
    assert _verdicts(vuln, *rows) == {1: Verdict.NOT_AFFECTED, 3: Verdict.NEEDS_REVIEW}


def test_na_version_criterion_does_not_match_every_release(tmp_path: Path) -> None:
    """Dependency-Track#3268."""
    vuln = _load(tmp_path, {"nodes": [_node(_match("cpe:2.3:a:vendor:suite:-:*:*:*:*:*:*:*"))]})
    got = _verdicts(
        vuln,
        {"vendor": "vendor", "product": "suite", "version": "2.1"},
        {"vendor": "vendor", "product": "suite"},
        {"cpe": "cpe:2.3:a:vendor:suite:-:*:*:*:*:*:*:*"},
    )
    assert got == {1: Verdict.NOT_AFFECTED, 2: Verdict.NEEDS_REVIEW, 3: Verdict.AFFECTED}


@pytest.mark.parametrize(
    ("criteria", "typed", "verdict"),
    [
        ("10.2.9:h1", "10.2.9-h1", Verdict.AFFECTED),
        ("10.2.9:h1", "10.2.9", Verdict.NOT_AFFECTED),
        ("10.2.9:-", "10.2.9", Verdict.AFFECTED),
        ("10.2.9:-", "10.2.9-h1", Verdict.NOT_AFFECTED),
        ("10.2.9:*", "10.2.9-h3", Verdict.AFFECTED),
        ("153.0:*", "153.0.0", Verdict.AFFECTED),
    ],
)
def test_pan_os_hotfix_in_the_cpe_update_field(
    tmp_path: Path, criteria: str, typed: str, verdict: Verdict
) -> None:
    vuln = _load(
        tmp_path,
        {"nodes": [_node(_match(f"cpe:2.3:o:paloaltonetworks:pan-os:{criteria}:*:*:*:*:*:*"))]},
    )
    got = _verdicts(vuln, {"vendor": "Palo Alto Networks", "product": "PAN-OS", "version": typed})
    assert got == {1: verdict}


def test_target_software_that_differs_is_not_affected(tmp_path: Path) -> None:
    vuln = _load(
        tmp_path,
        {
            "nodes": [
                _node(
                    _match(
                        "cpe:2.3:a:acme:forms:*:*:*:*:*:wordpress:*:*", versionEndExcluding="2.0"
                    )
                )
            ]
        },
    )
    got = _verdicts(
        vuln,
        {"cpe": "cpe:2.3:a:acme:forms:1.5:*:*:*:*:joomla:*:*"},
        {"cpe": "cpe:2.3:a:acme:forms:1.5:*:*:*:*:*:*:*"},
    )
    assert got == {1: Verdict.NOT_AFFECTED, 2: Verdict.AFFECTED}


def test_bad_configuration_is_reported_with_its_json_path(tmp_path: Path) -> None:
    path = tmp_path / "nvd.json"
    path.write_bytes(
        orjson.dumps(
            {
                "vulnerabilities": [
                    {
                        "cve": {
                            "id": "CVE-2099-0002",
                            "configurations": [
                                {
                                    "nodes": [
                                        {
                                            "operator": "OR",
                                            "cpeMatch": [
                                                {"criteria": "cpe:2.3:a:v:p:*:*:*:*:*:*:*:*"}
                                            ],
                                        }
                                    ]
                                }
                            ],
                        }
                    }
                ]
            }
        )
    )
    with pytest.raises(InvalidInput) as caught:
        load_nvd([path])
    assert (
        "$.vulnerabilities[0].cve.configurations[0].nodes[0].cpeMatch[0].vulnerable"
        in caught.value.message
    )
