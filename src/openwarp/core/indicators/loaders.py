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
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.markings import tlp_from_name
from openwarp.core.indicators.misp import misp_rows
from openwarp.core.indicators.model import Indicator, IndicatorSet
from openwarp.core.indicators.normalise import HASH_TYPES, IndicatorType, classify
from openwarp.core.indicators.stix import stix_rows
from openwarp.core.indicators.warninglists import Warninglists

# (file, where, value, report, tlp): ``where`` is a line number or JSON path,
# kept apart from the file name so no message is built unless it is needed.
type Row = tuple[object, object, str, str | None, str | None]
_VALUE_COLUMNS = ("indicator", "value", "ioc", "observable", "pattern", "attribute")
MAX_EXAMPLES = 20
_QUOTED_RE = re.compile(r"'[^']*'|\"[^\"]*\"")


@dataclass
class LoadReport:
    """The indicator set plus an account of everything that was left out."""

    indicators: IndicatorSet = field(default_factory=IndicatorSet)
    rejected: Counter[str] = field(default_factory=Counter)
    warninglisted: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def reject(self, where: str, reason: str) -> None:
        """Count by the kind of fault (value left out) and keep a few full examples."""
        self.rejected[_QUOTED_RE.sub("value", reason.split(" (", 1)[0])] += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(f"{where}: {reason}")


def _read_text(path: Path) -> io.TextIOBase:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", errors="replace")


def plain_rows(path: Path, lines: Iterable[str]) -> Iterator[Row]:
    """One indicator per line; ``#`` comments and blank lines are ignored."""
    for number, line in enumerate(lines, 1):
        value = line.strip()
        if "#" in value:
            value = "" if value.startswith("#") else value.split(" #", 1)[0].strip()
        if value:
            yield path, number, value, None, None


def maltrail_rows(path: Path, lines: Iterable[str]) -> Iterator[Row]:
    """maltrail's ``value<TAB>trail_file<TAB>category``; the trail file is the report."""
    for number, line in enumerate(lines, 1):
        parts = line.rstrip("\n").split("\t")
        if parts[0].strip():
            report = parts[1] if len(parts) > 1 else None
            yield path, number, parts[0], report, "clear"


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


def file_rows(path: Path) -> Iterator[Row]:
    """Pick the reader by content, falling back to the file name."""
    name = path.name.lower().removesuffix(".gz")
    with _read_text(path) as handle:
        head = handle.read(4096)
        handle.seek(0)
        if head.lstrip().startswith(("{", "[")):
            yield from _json_rows(path, handle)
        elif name.endswith(".csv"):
            yield from csv_rows(path, handle)
        elif name.endswith(".tsv") or "\t" in head.split("\n", 1)[0]:
            yield from maltrail_rows(path, handle)
        else:
            yield from plain_rows(path, handle)


_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# Values already in normal form skip ``classify``: most of a big feed is like
# this, and it is what keeps a million indicators loading in seconds.
_CANONICAL_RE = re.compile(
    r"(?P<domain>(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)"
    rf"|(?P<ip>{_OCTET}(?:\.{_OCTET}){{3}})(?::(?P<port>[1-9]\d{{0,4}}))?"
    r"|(?P<hash>[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})"
    # http(s) URL with a lower-case name, a path, no port, escapes or dot segments.
    r"|(?P<url>https?://(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*(?!.*/\.\.?(?:/|\?|$))"
    r"(?:/[A-Za-z0-9._~!$&'()*+,;=:@-]*)+(?:\?[A-Za-z0-9._~!$&'()*+,;=:@/?-]+)?)"
)


def _canonical(value: str) -> tuple[IndicatorType, bytes | None] | None:
    """Type and table key of a value already in normal form, else None."""
    match = _CANONICAL_RE.fullmatch(value)
    if match is None:
        return None
    group = match.lastgroup
    if group == "domain":
        return (IndicatorType.DOMAIN, value.encode()) if len(value) <= 253 else None
    if group == "hash":
        return HASH_TYPES[len(value)], value.encode()
    if group == "port":
        return (IndicatorType.IP_PORT, value.encode()) if int(match["port"]) < 65536 else None
    if group == "url":
        return IndicatorType.URL, None
    return IndicatorType.IPV4, value.encode()


def _make(value: str, source: str | None, tlp: str | None) -> tuple[Indicator, bytes | None]:
    """The indicator for one value and, when it is canonical, its table key."""
    fast = _canonical(value)
    if fast is not None:
        return Indicator(value, fast[0], value, source, tlp), fast[1]
    kind, key = classify(value)
    return Indicator(value, kind, value if key == value else key, source, tlp), None


def build_set(rows: Iterable[Row], *, warninglists: Warninglists | None = None) -> LoadReport:
    """Classify every row into an indicator set, keeping count of what was left out."""
    report = LoadReport()
    indicators = report.indicators
    shared: dict[str | None, str | None] = {}
    add, add_keyed = indicators.add, indicators.add_keyed
    for source_file, where, raw, source, tlp in rows:
        try:
            indicator, lookup = _make(raw.strip(), shared.setdefault(source, source), tlp)
        except (InvalidInput, ValueError) as exc:
            report.reject(f"{source_file}:{where}", str(getattr(exc, "message", exc)))
            continue
        if warninglists is not None:
            listed = warninglists.reason(indicator)
            if listed is not None:
                report.warninglisted[listed] += 1
                continue
        if lookup is None:
            add(indicator)
        else:
            add_keyed(indicator, lookup)
    indicators.freeze()
    return report


def load_indicators(
    paths: Iterable[Path], *, warninglists: Warninglists | None = None
) -> LoadReport:
    """Load one or more indicator files into a single set."""

    def rows() -> Iterator[Row]:
        for path in paths:
            if not path.is_file():
                raise InvalidInput(f"{path}: no such indicator file", field="indicators")
            yield from file_rows(path)

    return build_set(rows(), warninglists=warninglists)
