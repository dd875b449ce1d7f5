"""Read indicator sets from the files members are given.

Whatever the source - a plain list pasted from a report, a CSV export, a STIX
bundle, a MISP event or the maltrail trails - each value goes through the same
``classify`` so the sweep sees one normal form. Values that cannot be swept are
counted with a reason, never silently dropped.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import batched, compress, count, repeat
from pathlib import Path

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.build import BATCH, LoadReport, Row, build_from_batches, build_set
from openwarp.core.indicators.markings import tlp_from_name
from openwarp.core.indicators.misp import misp_rows
from openwarp.core.indicators.stix import stix_rows
from openwarp.core.indicators.warninglists import Warninglists

__all__ = ["LoadReport", "Row", "build_set", "file_batches", "file_rows", "load_indicators"]
_VALUE_COLUMNS = ("indicator", "value", "ioc", "observable", "pattern", "attribute")


def _read_text(path: Path) -> io.TextIOBase:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", errors="replace")


def _line_batches(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(number of the first line, lines) in batches: a file's are read by the
    megabyte, which costs far less than a line at a time."""
    if not isinstance(lines, io.TextIOBase):
        yield 1, list(lines)
        return
    number = 1
    while batch := lines.readlines(1 << 20):
        yield number, batch
        number += len(batch)


def _uncomment(value: str) -> str:
    return "" if value.startswith("#") else value.split(" #", 1)[0].strip()


def plain_batches(path: Path, lines: Iterable[str]) -> Iterator[list[Row]]:
    """One indicator per line; ``#`` comments and blank lines are ignored."""
    for first, batch in _line_batches(lines):
        values = [line.strip() for line in batch]
        values = [_uncomment(v) if "#" in v else v for v in values]
        rows = zip(repeat(path), count(first), values, repeat(None), repeat(None), strict=False)
        yield list(compress(rows, values))


def maltrail_batches(path: Path, lines: Iterable[str]) -> Iterator[list[Row]]:
    """maltrail's ``value<TAB>trail_file<TAB>category``; the trail file is the report."""
    for first, batch in _line_batches(lines):
        parts = [line.rstrip("\n").split("\t", 2) for line in batch]
        values = [p[0] for p in parts]
        reports = [p[1] if len(p) > 1 else None for p in parts]
        rows = zip(repeat(path), count(first), values, reports, repeat("clear"), strict=False)
        yield list(compress(rows, [v.strip() for v in values]))


def csv_rows(path: Path, lines: Iterable[str]) -> Iterator[Row]:
    """CSV with a header naming the value column (and optionally report, tlp)."""
    reader = csv.reader(lines)
    header = [cell.strip().lower() for cell in next(reader, [])]
    column = next((header.index(c) for c in _VALUE_COLUMNS if c in header), None)
    report_col = next((header.index(c) for c in ("report", "source", "event") if c in header), None)
    tlp_col = header.index("tlp") if "tlp" in header else None
    if column is None:
        column = 0
        if header and header[0]:
            yield path, 1, header[0], None, None
    for number, cells in enumerate(reader, 2):
        if len(cells) > column and cells[column].strip():
            report = (
                cells[report_col] if report_col is not None and len(cells) > report_col else None
            )
            tlp = cells[tlp_col] if tlp_col is not None and len(cells) > tlp_col else None
            yield path, number, cells[column], report or None, tlp_from_name(tlp or "")


def _json_rows(path: Path, handle: io.TextIOBase) -> Iterator[Row]:
    try:
        document = json.load(handle)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: not valid JSON ({exc})", field="indicators") from None
    if isinstance(document, dict) and document.get("type") == "bundle":
        return stix_rows(path, document)
    return misp_rows(path, document)


def file_batches(path: Path) -> Iterator[Sequence[Row]]:
    """A file's rows in batches; the reader is picked by content, falling back
    to the file name."""
    name = path.name.lower().removesuffix(".gz")
    with _read_text(path) as handle:
        head = handle.read(4096)
        handle.seek(0)
        if head.lstrip().startswith(("{", "[")):
            yield from batched(_json_rows(path, handle), BATCH)
        elif name.endswith(".csv"):
            yield from batched(csv_rows(path, handle), BATCH)
        elif name.endswith(".tsv") or "\t" in head.split("\n", 1)[0]:
            yield from maltrail_batches(path, handle)
        else:
            yield from plain_batches(path, handle)


def file_rows(path: Path) -> Iterator[Row]:
    """A file's rows one by one (``file_batches`` unbatched)."""
    for batch in file_batches(path):
        yield from batch


def load_indicators(
    paths: Iterable[Path], *, warninglists: Warninglists | None = None
) -> LoadReport:
    """Load one or more indicator files into a single set."""

    def batches() -> Iterator[Sequence[Row]]:
        for path in paths:
            if not path.is_file():
                raise InvalidInput(f"{path}: no such indicator file", field="indicators")
            yield from file_batches(path)

    return build_from_batches(batches(), warninglists=warninglists)
