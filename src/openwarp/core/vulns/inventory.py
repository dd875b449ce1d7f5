"""Reading a member's inventory from CSV or XLSX (councils keep these in Excel).

Columns: vendor, product, version, cpe, purl, internet_facing, criticality, and
optionally count, owner and org. Any may be blank, but each row needs vendor and
product, a CPE name or a package URL. An unknown column or an unreadable row is
reported by row (1-based, counting data rows) and column, all at once, and
nothing is returned unless the caller passes `keep_valid=True`, which is the
user's confirmation that the valid rows may be used on their own.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cpe import parse_cpe
from openwarp.core.vulns.model import InventoryItem, cpe_name_keys, package_key
from openwarp.core.vulns.names import name_keys

__all__ = ["COLUMNS", "InventoryResult", "make_item", "read_inventory"]

COLUMNS = (
    "vendor",
    "product",
    "version",
    "cpe",
    "purl",
    "internet_facing",
    "criticality",
    "count",
    "owner",
    "org",
)
_YES = frozenset({"yes", "y", "true", "1", "internet-facing", "internet facing"})
_NO = frozenset({"no", "n", "false", "0", "internal"})
_CRITICALITY = frozenset({"critical", "high", "medium", "low"})
_MAX_ERRORS = 50


@dataclass(slots=True)
class InventoryResult:
    items: list[InventoryItem]
    errors: list[str]


def read_inventory(path: str | Path, *, keep_valid: bool = False) -> InventoryResult:
    """Read a .csv or .xlsx inventory; raise InvalidInput listing every bad row."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(file)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(file)
    else:
        raise InvalidInput(f"{file}: inventory must be .csv or .xlsx", field="inventory")
    try:
        header = next(rows)
    except StopIteration:
        raise InvalidInput(f"{file}: the file is empty", field="inventory") from None
    columns = _columns(header, file)
    items, errors = [], []
    for number, values in enumerate(rows, start=1):
        record = {col: (values[i] if i < len(values) else "") for i, col in columns.items()}
        if not any(v.strip() for v in record.values()):
            continue
        try:
            items.append(make_item(number, record))
        except InvalidInput as exc:
            errors.append(f"{file}: {exc.message}")
    if errors and not keep_valid:
        shown = errors[:_MAX_ERRORS]
        more = f"\n... and {len(errors) - _MAX_ERRORS} more" if len(errors) > _MAX_ERRORS else ""
        raise InvalidInput("\n".join(shown) + more, field="inventory")
    return InventoryResult(items, errors)


def _csv_rows(file: Path) -> Iterator[list[str]]:
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            yield from csv.reader(handle)
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{file}: cannot read ({exc})", field="inventory") from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def _xlsx_rows(file: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # imported here: only XLSX users pay for it

    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InvalidInput(
            f"{file}: not a readable XLSX workbook ({exc})", field="inventory"
        ) from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        book.close()


def _columns(header: list[str], file: Path) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, raw in enumerate(header):
        name = raw.strip().lower().replace(" ", "_").replace("-", "_")
        if not name:
            continue
        if name not in COLUMNS:
            raise InvalidInput(
                f"{file}: column {index + 1} '{raw.strip()}' is not known; expected some of: "
                f"{', '.join(COLUMNS)}",
                field="inventory",
            )
        if name in columns.values():
            raise InvalidInput(f"{file}: column '{name}' appears twice", field="inventory")
        columns[index] = name
    return columns


def _flag(value: str, row: int) -> bool | None:
    text = value.strip().lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InvalidInput(f"row {row}, column internet_facing: {value!r} is not yes or no")


def make_item(row: int, record: dict[str, str]) -> InventoryItem:
    """Build an InventoryItem from one row's text values, naming the column at fault."""
    get = {k: (record.get(k) or "").strip() for k in COLUMNS}
    keys = (
        set(name_keys(get["vendor"], get["product"])) if get["vendor"] and get["product"] else set()
    )
    cpe = None
    if get["cpe"]:
        try:
            cpe = parse_cpe(get["cpe"])
        except InvalidInput as exc:
            raise InvalidInput(f"row {row}, column cpe: {exc.message}") from None
        keys |= cpe_name_keys(cpe)
    version = get["version"]
    if get["purl"]:
        try:
            purl = PackageURL.from_string(get["purl"])
        except ValueError as exc:
            raise InvalidInput(f"row {row}, column purl: {exc}") from None
        keys.add(package_key(purl.name))
        keys |= name_keys(purl.namespace or purl.type, purl.name)
        version = version or (purl.version or "")
    if not keys:
        raise InvalidInput(f"row {row}: give vendor and product, a cpe or a purl")
    criticality = get["criticality"].lower() or None
    if criticality is not None and criticality not in _CRITICALITY:
        raise InvalidInput(
            f"row {row}, column criticality: {get['criticality']!r} is not high, medium or low"
        )
    count = None
    if get["count"]:
        if not get["count"].isdigit():
            raise InvalidInput(f"row {row}, column count: {get['count']!r} is not a whole number")
        count = int(get["count"])
    return InventoryItem(
        row=row,
        vendor=get["vendor"],
        product=get["product"],
        version=version,
        cpe=cpe,
        purl=get["purl"] or None,
        internet_facing=_flag(get["internet_facing"], row),
        criticality=criticality,
        count=count,
        owner=get["owner"],
        org=get["org"],
        keys=frozenset(keys),
    )
