"""Hostile inventory files: small uploads that would unpack to millions of rows.

Each workbook is built in the test (tests/core/vulns/hostile_xlsx.py): a real
one saved by openpyxl with its sheet or shared strings rewritten the way an
attacker would, so the zip stays far below the 5 MB upload limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.core.vulns.hostile_xlsx import NS as _NS
from tests.core.vulns.hostile_xlsx import row as _row
from tests.core.vulns.hostile_xlsx import sheet as _sheet
from tests.core.vulns.hostile_xlsx import workbook as _workbook

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.inventory import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_XLSX_UNPACKED,
    read_inventory,
)

UPLOAD_LIMIT = 5 * 1024 * 1024


def test_a_workbook_that_unpacks_to_a_million_rows_is_refused_before_reading(
    tmp_path: Path,
) -> None:
    header = _row(1, ["vendor", "product", "version"])
    # references are optional in a sheet; without them a million rows pack tightly
    plain = (
        '<row><c t="inlineStr"><is><t>Acme</t></is></c><c t="inlineStr"><is><t>W</t></is></c></row>'
    )
    body = plain * 1_000_000
    path = _workbook(tmp_path / "bomb.xlsx", _sheet([header, body]))
    assert path.stat().st_size < UPLOAD_LIMIT  # passes the upload's size check
    with pytest.raises(InvalidInput) as caught:
        read_inventory(path)
    limit = MAX_XLSX_UNPACKED // 1024 // 1024
    assert f"bomb.xlsx: the workbook unpacks to more than {limit} MB (the limit)" in str(
        caught.value
    )


def test_a_huge_shared_strings_table_is_refused(tmp_path: Path) -> None:
    strings = "".join("<si><t>x</t></si>" for _ in range(3_500_000))
    table = f'<sst {_NS} count="3500000" uniqueCount="3500000">{strings}</sst>'.encode()
    path = _workbook(
        tmp_path / "strings.xlsx",
        _sheet([_row(1, ["vendor", "product"])]),
        extra={"xl/sharedStrings.xml": table},
    )
    assert path.stat().st_size < UPLOAD_LIMIT
    with pytest.raises(InvalidInput, match="unpacks to more than"):
        read_inventory(path)


def test_rows_past_the_limit_are_refused_with_the_limit_named(tmp_path: Path) -> None:
    rows = [_row(1, ["vendor", "product", "version"])]
    rows += [_row(n, ["Fortinet", "FortiOS", "7.2.5"]) for n in range(2, MAX_ROWS + 10)]
    path = _workbook(tmp_path / "long.xlsx", _sheet(rows))
    with pytest.raises(InvalidInput) as caught:
        read_inventory(path, keep_valid=True)
    assert f"long.xlsx: more than {MAX_ROWS:,} rows (the limit)" in str(caught.value)


def test_a_declared_sheet_of_sixteen_thousand_columns_reads_only_what_is_there(
    tmp_path: Path,
) -> None:
    rows = [_row(1, ["vendor", "product", "version"]), _row(2, ["Citrix", "NetScaler", "13.1"])]
    path = _workbook(tmp_path / "wide.xlsx", _sheet(rows, dimension="A1:XFD1048576"))
    items = read_inventory(path).items
    assert [(i.vendor, i.product, i.version) for i in items] == [("Citrix", "NetScaler", "13.1")]


def test_a_cell_beyond_the_column_limit_is_refused(tmp_path: Path) -> None:
    stray = _row(2, ["stray"], first_column=MAX_COLUMNS + 1).removeprefix('<row r="2">')
    rows = [_row(1, ["vendor", "product"]), _row(2, ["Cisco", "ASA"])[: -len("</row>")] + stray]
    path = _workbook(tmp_path / "stray.xlsx", _sheet(rows))
    with pytest.raises(InvalidInput, match=f"line 2 has more than {MAX_COLUMNS} columns"):
        read_inventory(path)


def test_an_overlong_cell_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "long-cell.csv"
    path.write_text(f"vendor,product,version\nAcme,{'W' * (MAX_CELL_CHARS + 1)},1.0\n")
    with pytest.raises(InvalidInput) as caught:
        read_inventory(path)
    assert f"line 2, column 2: longer than {MAX_CELL_CHARS:,} characters (the limit)" in str(
        caught.value
    )


def test_a_csv_of_blank_lines_stops_at_the_row_limit(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("vendor,product\n" + "\n" * (4 * 1024 * 1024))
    with pytest.raises(InvalidInput, match=f"more than {MAX_ROWS:,} rows"):
        read_inventory(path)


def test_a_csv_field_past_the_csv_modules_own_limit_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text('vendor,product\nAcme,"' + "x" * 200_000 + '"\n')
    with pytest.raises(InvalidInput, match=r"quoted.csv: line \d+: field larger than"):
        read_inventory(path)
