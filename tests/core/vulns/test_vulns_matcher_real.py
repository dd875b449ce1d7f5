"""Table-driven: real CVE JSON 5 records from the shared data, judged as an analyst would.

Each case names the pitfall it guards. The verdicts were worked out by reading the
record and the vendor's notation, not by running the matcher.
"""

from __future__ import annotations

import pytest

from openwarp.core.vulns.inventory import make_item
from openwarp.core.vulns.matcher import InventoryIndex
from openwarp.core.vulns.model import Verdict, Vulnerability

A, N, R = Verdict.AFFECTED, Verdict.NOT_AFFECTED, Verdict.NEEDS_REVIEW

CASES = [
    # PAN-OS GlobalProtect (KEV): range up to 10.2.9-h1 with a hotfix bound
    ("CVE-2024-3400", "Palo Alto Networks", "PAN-OS", "10.2.8-h3", A, "hotfix below fix"),
    ("CVE-2024-3400", "Palo Alto Networks", "PAN-OS", "10.2.9-h1", N, "exactly the fix"),
    ("CVE-2024-3400", "Palo Alto Networks", "PAN-OS", "10.2.9", A, "base release < hotfix"),
    ("CVE-2024-3400", "paloaltonetworks", "pan-os", "11.1.2-h3 ", N, "stray whitespace"),
    ("CVE-2024-3400", "Palo Alto Networks", "PAN-OS", "9.1.0", N, "listed unaffected"),
    ("CVE-2024-3400", "Palo Alto Networks", "Cloud NGFW", "10.2.8", N, "'All' unaffected"),
    # Citrix NetScaler: "13.1" + lessThan "53.17" means build 13.1-53.17
    ("CVE-2024-5491", "Citrix", "NetScaler ADC", "13.1-49.15", A, "Citrix build below fix"),
    ("CVE-2024-5491", "NetScaler", "NetScaler ADC", "13.1-53.17", N, "Citrix fixed build"),
    ("CVE-2024-5491", "Citrix", "NetScaler Gateway", "14.1-29.63", N, "later 14.1 build"),
    ("CVE-2024-6235", "Citrix", "NetScaler Console", "14.1-21.15", A, "ADP cpe vendor"),
    # Apple: one bare upper bound per release line under one product name
    ("CVE-2024-44178", "Apple", "macOS", "14.6.1", A, "Sonoma before 14.7"),
    ("CVE-2024-44178", "Apple", "macOS", "14.7", N, "line-aware: Sonoma fix"),
    ("CVE-2024-44178", "Apple", "macOS", "13.7", N, "line-aware: Ventura fix"),
    ("CVE-2024-44178", "Apple", "macOS", "12.7.6", A, "older line, all affected"),
    # Windows build numbers
    ("CVE-2024-38063", "Microsoft", "Windows Server 2019", "10.0.17763.6189", A, "build"),
    ("CVE-2024-38063", "Microsoft", "Windows Server 2019", "10.0.17763.6293", N, "fixed"),
    # Cisco ASA: enumerated versions (CNA) and ADP ranges; 2.4.9 < 2.4.10 style numbers
    (
        "CVE-2024-20353",
        "Cisco",
        "Adaptive Security Appliance (ASA) Software",
        "9.16.4",
        A,
        "listed release",
    ),
    ("CVE-2024-20353", "Cisco", "ASA", "9.20.2.10", N, "not among the releases listed"),
    # Cisco NX-OS: parenthesised versions with trains
    ("CVE-2024-20399", "Cisco", "NX-OS", "7.0(3)I4(5)", A, "listed NX-OS train release"),
    ("CVE-2024-20399", "Cisco", "NX-OS Software", "6.0(2)A8(7a)", A, "letter rebuild"),
    # Fortinet (KEV), lessThanOrEqual per line
    ("CVE-2024-21762", "Fortinet", "FortiOS", "7.2.6", A, "upper bound inclusive"),
    ("CVE-2024-21762", "Fortinet, Inc.", "FortiOS", "7.2.7", N, "just above the bound"),
    # SonicWall: free-text "and older versions"
    ("CVE-2024-40766", "SonicWall", "SonicOS", "7.0.1-5035", A, "'and older' inclusive"),
    ("CVE-2024-40766", "SonicWall", "SonicOS", "6.5.4.14-109n", A, "letter build"),
    # Ivanti R-release notation
    ("CVE-2024-21888", "Ivanti", "ICS", "22.6R2", A, "Ivanti exact release"),
    ("CVE-2024-21888", "Ivanti", "ICS", "22.7R2.3", N, "later Ivanti release"),
    # Linux kernel: git ranges ignored, default affected, 6.10.* wildcard bound
    ("CVE-2024-46754", "Linux", "Linux", "6.10.12", N, "stable fix 6.10.10 <= v <= 6.10.*"),
    ("CVE-2024-46754", "Linux", "Linux", "6.10.3", A, "below the stable fix"),
    ("CVE-2024-46754", "Linux", "Linux Kernel", "4.14.300", N, "before the bug (< 4.18)"),
    # MediaTek: ADP hardware entries with version "-"
    ("CVE-2024-20077", "MediaTek", "MT6765", "", A, "hardware model, no versions"),
    ("CVE-2024-20077", "MediaTek", "MT6765", "LR12A", R, "free-text modem version"),
    # curl / libcurl
    ("CVE-2024-2466", "curl", "curl", "8.6.0", A, "exact version"),
    ("CVE-2024-2466", "curl", "curl", "8.7.1", N, "default unaffected"),
    # Apache httpd 2.4.x: 2.4.9 < 2.4.59 numerically
    (
        "CVE-2024-38476",
        "Apache Software Foundation",
        "Apache HTTP Server",
        "2.4.9",
        A,
        "2.4.9 < 2.4.59",
    ),
    ("CVE-2024-38476", "Apache", "HTTP Server", "2.4.62", N, "above the range"),
    # Oracle "8.0.39_and_prior" CPEs and lessThanOrEqual per line
    ("CVE-2024-21236", "Oracle", "MySQL Server", "8.0.39", A, "inclusive bound"),
    ("CVE-2024-21236", "Oracle Corporation", "MySQL Server", "8.0.40", N, "next release"),
    # "latest" as a bound cannot be compared; ADP says every version
    ("CVE-2024-4320", "parisneo", "lollms-webui", "9.5", R, "bound 'latest'"),
    # no version in the inventory
    ("CVE-2024-3400", "Palo Alto Networks", "PAN-OS", "", R, "inventory lacks a version"),
    # OpenHarmony: 'v' prefixed bound
    ("CVE-2024-3757", "OpenHarmony", "OpenHarmony", "4.0.0", A, "v-prefixed range"),
    ("CVE-2024-3757", "OpenHarmony", "OpenHarmony", "v4.0.1", N, "v-prefixed fix"),
]


@pytest.mark.parametrize(
    ("cve", "vendor", "product", "version", "verdict", "pitfall"),
    CASES,
    ids=[f"{c[0]}-{c[5]}" for c in CASES],
)
def test_real_record_verdicts(
    real_records: dict[str, Vulnerability],
    cve: str,
    vendor: str,
    product: str,
    version: str,
    verdict: Verdict,
    pitfall: str,
) -> None:
    item = make_item(1, {"vendor": vendor, "product": product, "version": version})
    results = list(InventoryIndex([item]).match_rows(real_records[cve], include_not_affected=True))
    got = results[0][1] if results else None
    if verdict is N and got is None:
        return  # not named at all counts as not affected
    assert got is not None, f"{pitfall}: product not recognised"
    assert got.verdict is verdict, f"{pitfall}: {got.reason}"
    assert got.reason


def test_unrelated_products_are_not_named(real_records: dict[str, Vulnerability]) -> None:
    item = make_item(1, {"vendor": "Microsoft", "product": "Exchange Server", "version": "15.2"})
    assert (
        list(
            InventoryIndex([item]).match_rows(
                real_records["CVE-2024-3400"], include_not_affected=True
            )
        )
        == []
    )


def test_evidence_names_the_source_and_json_path(real_records: dict[str, Vulnerability]) -> None:
    item = make_item(
        4,
        {
            "vendor": "Palo Alto Networks",
            "product": "PAN-OS",
            "version": "10.2.8-h3",
            "internet_facing": "yes",
            "criticality": "high",
        },
    )
    (finding,) = InventoryIndex([item]).match(real_records["CVE-2024-3400"])
    assert finding.item.row == 4
    assert finding.evidence["source"] == "cna"
    assert finding.evidence["json_path"].startswith("containers.cna.affected[")
    assert "10.2.9-h1" in finding.reason


def test_kev_internet_facing_outranks_unexploited_internal(
    real_records: dict[str, Vulnerability],
) -> None:
    items = [
        make_item(
            1,
            {
                "vendor": "Palo Alto Networks",
                "product": "PAN-OS",
                "version": "10.2.8",
                "internet_facing": "yes",
            },
        ),
        make_item(
            2,
            {
                "vendor": "Microsoft",
                "product": "Windows Server 2019",
                "version": "10.0.17763.100",
                "internet_facing": "no",
            },
        ),
    ]
    index = InventoryIndex(items)
    kev = index.match(real_records["CVE-2024-3400"])[0]
    internal = index.match(real_records["CVE-2024-38063"])[0]
    assert real_records["CVE-2024-3400"].kev
    assert kev.priority > internal.priority
