"""Inventory files: CSV and XLSX, with errors named by row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cpe import NA
from openwarp.core.vulns.inventory import read_inventory
from openwarp.core.vulns.model import Vulnerability
from openwarp.core.vulns.priority import priority


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "inv.csv"
    path.write_text(text)
    return path


def test_csv_rows_of_every_kind(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Vendor,Product,Version,CPE,purl,Internet-facing,Criticality\n"
        "Palo Alto Networks,PAN-OS,10.2.8-h3,,,yes,High\n"
        ",,,cpe:2.3:h:mediatek:mt6765:-:*:*:*:*:*:*:*,,,\n"
        ",,,,pkg:pypi/django@4.2.1,no,low\n"
        ",,,,,,\n",
    )
    items = read_inventory(path).items
    assert [i.row for i in items] == [1, 2, 3]
    assert items[0].internet_facing is True and items[0].criticality == "high"
    assert items[1].cpe is not None and items[1].cpe.version is NA and items[1].version_is_na
    assert items[2].effective_version == "4.2.1"


def test_xlsx_inventory_with_numeric_cells(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["vendor", "product", "version", "internet_facing"])
    sheet.append(["Google", "Chrome", 126, "Yes"])
    sheet.append(["Fortinet", "FortiOS", "7.2.6", None])
    path = tmp_path / "inv.xlsx"
    book.save(path)
    items = read_inventory(path).items
    assert [(i.product, i.version, i.internet_facing) for i in items] == [
        ("Chrome", "126", True),
        ("FortiOS", "7.2.6", None),
    ]


def test_unknown_column_is_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, "vendor,product,versoin\nA,B,1\n")
    with pytest.raises(InvalidInput, match="column 3 'versoin' is not known"):
        read_inventory(path)


def test_every_bad_row_is_reported_and_nothing_is_half_loaded(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "vendor,product,version,cpe,internet_facing,criticality\n"
        "Cisco,ASA,9.16.4,,yes,high\n"
        ",,,cpe:2.3:a:broken,,\n"
        "Cisco,ASA,9.16.4,,maybe,\n"
        "Cisco,ASA,9.16.4,,,urgent\n"
        ",,1.0,,,\n",
    )
    with pytest.raises(InvalidInput) as caught:
        read_inventory(path)
    message = caught.value.message
    for expected in (
        "row 2, column cpe",
        "row 3, column internet_facing",
        "row 4, column criticality",
        "row 5: give vendor and product",
    ):
        assert expected in message
    kept = read_inventory(path, keep_valid=True)
    assert [i.row for i in kept.items] == [1] and len(kept.errors) == 4


def test_priority_formula_parts() -> None:
    kev = Vulnerability("CVE-2024-3400", cvss_score=10.0, kev=True, epss=0.9432)
    assert priority(kev, True, "high") == pytest.approx(30 + 30 + 0.9432 * 15 + 15 + 10, abs=0.06)
    quiet = Vulnerability("CVE-2099-1", cvss_score=9.8, ssvc_exploitation="none")
    assert priority(quiet, False, "low") == pytest.approx(29.4)
    unknown = Vulnerability("CVE-2099-2")
    assert priority(unknown, None, None) == pytest.approx(15 + 5 + 5)
    poc = Vulnerability("CVE-2099-3", cvss_score=9.8, ssvc_exploitation="poc")
    active = Vulnerability("CVE-2099-4", cvss_score=9.8, ssvc_exploitation="active")
    assert priority(active, False, "low") > priority(poc, False, "low")
