"""Liferay's release order (`core/vulns/liferay.py`) and where the matcher uses it.

The table of real records is `liferay_cases.py`, run with the other scheme cases
(`test_vulns_scheme_matching.py`, the CLI and the hub tests)."""

from __future__ import annotations

import copy
from typing import Any

from openwarp.core.vulns.cve5 import record_to_vulnerability
from openwarp.core.vulns.inventory import make_item
from openwarp.core.vulns.liferay import compare_liferay, scoped_bound
from openwarp.core.vulns.matcher import InventoryIndex
from openwarp.core.vulns.model import Vulnerability
from openwarp.core.vulns.vers import sort_in_scheme


def test_releases_run_ga_then_fix_packs_then_updates_then_quarterly() -> None:
    chronology = [
        "7.3.10",
        "7.3.10-dxp-1",
        "7.3.10 Fix Pack 2",
        "7.3.10-dxp-3",
        "7.3.10.u4",
        "7.3.10-u10",
        "7.3.10 Update 36",
        "7.4.13",
        "7.4.13.u9",
        "7.4.13-u92",
        "2023.Q3.1",
        "2023.q3.10",
        "2023.Q4.0",
    ]
    assert sort_in_scheme("liferay", list(reversed(chronology))) == chronology


def test_one_update_spelled_two_ways_is_one_release() -> None:
    assert compare_liferay("7.4.13.u92", "7.4.13-u92") == 0
    assert compare_liferay("7.3.10-ga1", "7.3.10") == 0
    assert compare_liferay("7.4.3.4 GA4", "7.4.3.4") == 0


def test_a_fix_pack_without_its_number_is_placed_only_where_it_can_be() -> None:
    assert compare_liferay("7.3.10", "7.3.10-dxp-") == -1
    assert compare_liferay("7.3.10-u4", "7.3.10-dxp-") == 1
    assert compare_liferay("7.3.10-dxp-2", "7.3.10-dxp-") is None


def test_a_truncated_bound_still_covers_its_first_release(
    real_records: dict[str, Vulnerability],
) -> None:
    # CISA's ADP entry for CVE-2024-25152 names the CPE digital_experience_platform
    # with `7.3.10 <= 7.3.10-dxp-` (labelled maven): the GA is at its lower bound.
    cpe = "cpe:2.3:a:liferay:digital_experience_platform:{}:*:*:*:*:*:*:*"
    found = {}
    for version in ("7.3.10", "7.3.10-dxp-1"):
        row = make_item(1, {"cpe": cpe.format(version)})
        [finding] = InventoryIndex([row]).match(
            real_records["CVE-2024-25152"], include_not_affected=True
        )
        found[version] = (str(finding.verdict), finding.evidence["source"])
    assert found["7.3.10"] == ("affected", "adp:CISA ADP Vulnrichment")
    # Fix pack 1 against "up to fix pack (number missing)": only a person can say.
    assert found["7.3.10-dxp-1"][0] == "needs_review"


def test_a_bare_fix_pack_bound_is_a_fix_pack_of_its_line() -> None:
    assert scoped_bound("7.1.10", "dxp-28") == "7.1.x-dxp-28"
    assert scoped_bound("7.3.10", "7.3.10-dxp-2") == "7.3.10-dxp-2"
    line = "6.2.x-portal-173"
    assert compare_liferay("6.2.10-portal-150", line) == -1
    assert compare_liferay("6.2.10-portal-174", line) == 1
    assert compare_liferay("6.1.30", line) == -1
    assert compare_liferay("7.0.10-de-50", line) == 1


def test_what_is_not_a_liferay_release_cannot_be_compared() -> None:
    for text in ("dxp-28", "portal-173", "7.3.10 SP1", "7.3.10-beta", "latest"):
        assert compare_liferay(text, "7.3.10") is None, text


def test_only_liferay_entries_are_read_this_way(real_documents: dict[str, Any]) -> None:
    # CVE-2024-25143 (DXP 7.3.10 <= 7.3.10-dxp-2, labelled maven) as published, and the
    # same record with the vendor renamed: another vendor keeps Maven's order.
    verdicts = {}
    for vendor in ("Liferay", "Example Corp"):
        doc = copy.deepcopy(real_documents["CVE-2024-25143"])
        doc["containers"].pop("adp", None)
        for entry in doc["containers"]["cna"]["affected"]:
            entry["vendor"] = vendor
        row = make_item(1, {"vendor": vendor, "product": "DXP", "version": "7.3.10.u10"})
        [finding] = InventoryIndex([row]).match(
            record_to_vulnerability(doc), include_not_affected=True
        )
        verdicts[vendor] = (str(finding.verdict), finding.evidence["version_scheme"])
    assert verdicts == {
        "Liferay": ("not_affected", "liferay"),
        "Example Corp": ("affected", "maven"),
    }
