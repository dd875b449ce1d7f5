"""Liferay DXP and Portal rows against Liferay's real 2024 records (versionType maven).

Liferay's chronology: a release's GA (`7.3.10`), then its fix packs (`7.3.10-dxp-1`
...), then its updates (`7.3.10-u4` ..., also spelled `7.3.10.u4`); DXP 7.4 runs
`7.4.13` to `7.4.13-u92`, then the quarterly releases (`2023.Q3.1` ...). Each row is
typed as a member would type it and carries the verdict an analyst gives after
reading the record's ranges in that order. Shared by the core, CLI and hub tests
through `scheme_cases.CVE5_CASES`.
"""

from __future__ import annotations

# (cve, row, verdict, ordering named in the evidence, reason fragment): the fields of
# `scheme_cases.Case`, which builds the cases from these rows.
Row = tuple[str, dict[str, str], str, str, str]

DXP = {"vendor": "Liferay", "product": "DXP"}
PORTAL = {"vendor": "Liferay", "product": "Portal"}
L = "liferay"


def _dxp(cve: str, version: str, verdict: str, reason: str = "") -> Row:
    return (cve, {**DXP, "version": version}, verdict, L, reason)


LIFERAY_ROWS: list[Row] = [
    # CVE-2024-25143: DXP 7.3.10 <= 7.3.10-dxp-2, 7.2.10 <= 7.2.10-dxp-12.
    # Update 10 came long after fix pack 2: Maven put `.u10` before `-dxp-2`.
    _dxp("CVE-2024-25143", "7.3.10.u10", "not_affected"),
    _dxp("CVE-2024-25143", "7.3.10-u29", "not_affected"),
    _dxp("CVE-2024-25143", "7.3.10-dxp-2", "affected"),
    _dxp("CVE-2024-25143", "7.3.10 Fix Pack 1", "affected"),
    _dxp("CVE-2024-25143", "7.2.10-dxp-12", "affected"),
    _dxp("CVE-2024-25143", "7.2.10-dxp-13", "not_affected"),
    # A service pack name is not a release Liferay's numbering orders: ask.
    _dxp(
        "CVE-2024-25143",
        "7.3.10 SP1",
        "needs_review",
        "7.3.10 SP1 is not a valid Liferay release version",
    ),
    # CVE-2024-26269: DXP 7.3.10 <= 7.3.10.u10, 7.4.13 <= 7.4.13.u37.
    # The other spelling of the last affected update is that update.
    _dxp("CVE-2024-26269", "7.3.10-u10", "affected"),
    _dxp("CVE-2024-26269", "7.3.10-u11", "not_affected"),
    # Fix pack 3 came before update 10: affected (Maven said not affected).
    _dxp("CVE-2024-26269", "7.3.10-dxp-3", "affected"),
    _dxp("CVE-2024-26269", "7.4.13-u37", "affected"),
    _dxp("CVE-2024-26269", "7.4.13.u38", "not_affected"),
    # CVE-2024-26270: DXP 7.4.13.u76 <= 7.4.13.u92 and 2023.q3.1 <= 2023.q3.4,
    # default unaffected.
    _dxp("CVE-2024-26270", "7.4.13.u80", "affected"),
    _dxp("CVE-2024-26270", "7.4.13-u92", "affected"),
    _dxp("CVE-2024-26270", "7.4.13.u75", "not_affected"),
    _dxp("CVE-2024-26270", "2023.Q3.2", "affected"),
    _dxp("CVE-2024-26270", "2023.Q3.5", "not_affected"),
    # CVE-2024-38002: 7.3.10 <= 7.3.10-u36, ..., 2023.Q4.0 <= 2023.Q4.5.
    _dxp("CVE-2024-38002", "7.3.10-dxp-2", "affected"),
    _dxp("CVE-2024-38002", "2023.Q3.8", "affected"),
    _dxp("CVE-2024-38002", "2024.Q1.1", "not_affected"),
    # CVE-2024-25609: DXP 7.2.10-dxp-15 <= 7.2.10-dxp-18 (a range of fix packs).
    _dxp("CVE-2024-25609", "7.2.10-dxp-16", "affected"),
    _dxp("CVE-2024-25609", "7.2.10-dxp-14", "not_affected"),
    # CVE-2024-8980 bounds older lines by bare fix-pack names (`7.1.10 <= dxp-28`,
    # `6.2.0 <= portal-173`): that fix pack of the lower bound's line (Maven had put
    # fix pack 20 of 7.1 outside the range). Default unaffected.
    _dxp("CVE-2024-8980", "7.1.10-dxp-20", "affected"),
    _dxp("CVE-2024-8980", "7.1.10-dxp-29", "not_affected"),
    _dxp("CVE-2024-8980", "6.2.10-portal-150", "affected"),
    _dxp("CVE-2024-8980", "7.4.13-u90", "affected"),
    _dxp("CVE-2024-8980", "2023.Q3.5", "not_affected"),
    # A bare fix-pack name as the row's version names no release: ask.
    _dxp("CVE-2024-8980", "dxp-28", "needs_review", "dxp-28 is not a valid Liferay release"),
    # CVE-2024-25152: DXP 7.3.10 <= 7.3.10-dxp-2 (CISA's ADP copy writes `7.3.10-dxp-`).
    _dxp("CVE-2024-25152", "7.3.10-dxp-1", "affected"),
    _dxp("CVE-2024-25152", "7.3.10-u4", "not_affected"),
    # Portal CE (also labelled maven): 7.2.0 <= 7.4.3.26.
    ("CVE-2024-25144", {**PORTAL, "version": "7.4.3.25"}, "affected", L, ""),
    ("CVE-2024-25144", {**PORTAL, "version": "7.4.3.27"}, "not_affected", L, ""),
]
