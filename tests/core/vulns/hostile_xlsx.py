"""Hostile XLSX workbooks for tests: a real openpyxl workbook with its sheet (or
shared strings) rewritten the way an attacker would, still far below 5 MB."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def cell_ref(column: int, row: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def row(number: int, values: list[str], first_column: int = 1) -> str:
    cells = "".join(
        f'<c r="{cell_ref(first_column + i, number)}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def workbook(path: Path, sheet_xml: str, extra: dict[str, bytes] | None = None) -> Path:
    """A real workbook from openpyxl whose first sheet is replaced by `sheet_xml`."""
    book = Workbook()
    book.active.append(["vendor", "product"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == SHEET:
                data = sheet_xml.encode()
            target.writestr(info.filename, (extra or {}).get(info.filename, data))
        for name, data in (extra or {}).items():
            if name not in source.namelist():
                target.writestr(name, data)
    return path


def sheet(rows: list[str], dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"<worksheet {NS}>{dim}<sheetData>{''.join(rows)}</sheetData></worksheet>"
