"""Reading a member's inventory from CSV or XLSX (councils keep these in Excel).

Columns: vendor, product, version, cpe, purl, internet_facing, criticality, and
optionally count, owner and org. Any may be blank, but each row needs vendor and
product, a CPE name or a package URL. An unknown column or an unreadable row is
reported by row (1-based, counting data rows) and column, all at once, and
nothing is returned unless the caller passes `keep_valid=True`, which is the
user's confirmation that the valid rows may be used on their own.

Files come from members over the web, so size alone is not trusted: a 5 MB
XLSX is a zip that can unpack to millions of rows or a huge shared-strings
table. Both formats are read as a stream with caps on rows, columns and cell
length, and an XLSX is refused when its parts would unpack to more than
`MAX_XLSX_UNPACKED` bytes, before openpyxl reads any of it.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cpe import parse_cpe
from openwarp.core.vulns.model import InventoryItem, cpe_name_keys, package_key
from openwarp.core.vulns.names import name_keys

__all__ = [
    "COLUMNS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_XLSX_UNPACKED",
    "InventoryResult",
    "make_item",
    "read_inventory",
]

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
# Caps for files from members: a large trust's estate fits well inside them.
MAX_ROWS = 20_000  # rows of the sheet or file, header and blank rows included
MAX_COLUMNS = 50
MAX_CELL_CHARS = 2_000
MAX_XLSX_UNPACKED = 48 * 1024 * 1024


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
    rows = _limited(rows, file)
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


def _limited(rows: Iterator[list[str]], file: Path) -> Iterator[list[str]]:
    """Pass rows through, refusing the whole file at the first one over a cap."""
    for number, values in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise InvalidInput(
                f"{file}: more than {MAX_ROWS:,} rows (the limit); split the inventory "
                "into smaller files",
                field="inventory",
            )
        if len(values) > MAX_COLUMNS and any(v.strip() for v in values[MAX_COLUMNS:]):
            raise InvalidInput(
                f"{file}: line {number} has more than {MAX_COLUMNS} columns (the limit)",
                field="inventory",
            )
        for index, value in enumerate(values[:MAX_COLUMNS]):
            if len(value) > MAX_CELL_CHARS:
                raise InvalidInput(
                    f"{file}: line {number}, column {index + 1}: longer than "
                    f"{MAX_CELL_CHARS:,} characters (the limit)",
                    field="inventory",
                )
        yield values[:MAX_COLUMNS]


def _csv_rows(file: Path) -> Iterator[list[str]]:
    reader = None
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            yield from reader
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{file}: cannot read ({exc})", field="inventory") from None
    except csv.Error as exc:  # e.g. a field past the csv module's own size limit
        line = reader.line_num if reader is not None else 0
        raise InvalidInput(f"{file}: line {line}: {exc}", field="inventory") from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def _check_unpacked_size(file: Path) -> None:
    """Refuse a workbook whose parts unpack past the cap (a zip bomb, or a shared-
    strings table openpyxl would load whole), judged from the zip's own directory.
    Python's zip reader stops at each part's declared size, so the sum is a bound."""
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile) as exc:
        raise InvalidInput(
            f"{file}: not a readable XLSX workbook ({exc})", field="inventory"
        ) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InvalidInput(
            f"{file}: the workbook unpacks to more than "
            f"{MAX_XLSX_UNPACKED // 1024 // 1024} MB (the limit); save only the inventory "
            "sheet, or use CSV",
            field="inventory",
        )


def _xlsx_rows(file: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # imported here: only XLSX users pay for it

    _check_unpacked_size(file)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InvalidInput(
            f"{file}: not a readable XLSX workbook ({exc})", field="inventory"
        ) from None
    try:
        sheet = book.worksheets[0]
        # The sheet's declared dimensions are the file's word, not ours: ignore them,
        # and never widen a row past one column more than the cap (to detect it).
        sheet.reset_dimensions()
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            yield [_cell(v) for v in row]
    except InvalidInput:
        raise
    except Exception as exc:  # damaged XML inside the zip
        raise InvalidInput(
            f"{file}: not a readable XLSX workbook ({exc})", field="inventory"
        ) from None
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
