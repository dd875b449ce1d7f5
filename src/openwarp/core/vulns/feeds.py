"""CISA KEV catalogue and FIRST EPSS scores: the two "is this being exploited" feeds.

New KEV entries since the last load raise immediate alerts, so the diff between
two catalogue versions must report removals too (CISA does withdraw entries,
e.g. CVE-2025-4664 after 2025-05-15). Both readers reject the whole file on the
first bad entry and say where it is.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from pathlib import Path

import orjson

from openwarp.core.errors import InvalidInput

__all__ = [
    "EpssScore",
    "EpssTable",
    "KevCatalogue",
    "KevDiff",
    "KevEntry",
    "diff_kev",
    "load_epss",
    "load_kev",
]

_CVE_ID = re.compile(r"^CVE-\d{4}-\d{4,}$")
_KEV_REQUIRED = ("cveID", "vendorProject", "product", "dateAdded", "dueDate")


@dataclass(frozen=True, slots=True)
class KevEntry:
    cve_id: str
    vendor_project: str
    product: str
    name: str
    date_added: str
    due_date: str
    required_action: str
    ransomware: str


@dataclass(frozen=True, slots=True)
class KevCatalogue:
    version: str
    date_released: str
    entries: dict[str, KevEntry]

    def __contains__(self, cve_id: object) -> bool:
        return cve_id in self.entries


@dataclass(frozen=True, slots=True)
class KevDiff:
    """What changed between an older and a newer catalogue, sorted by CVE id."""

    added: tuple[KevEntry, ...]
    removed: tuple[KevEntry, ...]


def load_kev(path: str | Path) -> KevCatalogue:
    """Read a CISA KEV JSON file (current feed or an archived copy)."""
    file = Path(path)
    try:
        doc = orjson.loads(file.read_bytes())
    except OSError as exc:
        raise InvalidInput(f"{file}: cannot read ({exc})", field="kev") from None
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"{file}: broken JSON ({exc})", field="kev") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("vulnerabilities"), list):
        raise InvalidInput(f"{file}: $.vulnerabilities: expected a list", field="kev")
    entries: dict[str, KevEntry] = {}
    for index, item in enumerate(doc["vulnerabilities"]):
        where = f"{file}: $.vulnerabilities[{index}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}: expected an object", field="kev")
        for key in _KEV_REQUIRED:
            if not isinstance(item.get(key), str):
                raise InvalidInput(f"{where}.{key}: missing or not text", field="kev")
        if not _CVE_ID.match(item["cveID"]):
            raise InvalidInput(f"{where}.cveID: {item['cveID']!r} is not a CVE id", field="kev")
        entries[item["cveID"]] = KevEntry(
            cve_id=item["cveID"],
            vendor_project=item["vendorProject"],
            product=item["product"],
            name=str(item.get("vulnerabilityName", "")),
            date_added=item["dateAdded"],
            due_date=item["dueDate"],
            required_action=str(item.get("requiredAction", "")),
            ransomware=str(item.get("knownRansomwareCampaignUse", "Unknown")),
        )
    return KevCatalogue(
        version=str(doc.get("catalogVersion", "")),
        date_released=str(doc.get("dateReleased", "")),
        entries=entries,
    )


def diff_kev(older: KevCatalogue, newer: KevCatalogue) -> KevDiff:
    """Entries that appeared and disappeared between two catalogue versions."""
    added = sorted(set(newer.entries) - set(older.entries))
    removed = sorted(set(older.entries) - set(newer.entries))
    return KevDiff(
        added=tuple(newer.entries[c] for c in added),
        removed=tuple(older.entries[c] for c in removed),
    )


@dataclass(frozen=True, slots=True)
class EpssScore:
    probability: float
    percentile: float


@dataclass(frozen=True, slots=True)
class EpssTable:
    model_version: str
    score_date: str
    scores: dict[str, EpssScore]


def _read_text(file: Path) -> str:
    try:
        if file.name.endswith(".gz"):
            with gzip.open(file, "rt", encoding="utf-8") as handle:
                return handle.read()
        return file.read_text(encoding="utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{file}: cannot read ({exc})", field="epss") from None


def load_epss(path: str | Path) -> EpssTable:
    """Read FIRST's daily EPSS CSV: a `#model_version:...,score_date:...` line, then
    `cve,epss,percentile` rows with probabilities between 0 and 1."""
    file = Path(path)
    lines = _read_text(file).splitlines()
    meta: dict[str, str] = {}
    start = 0
    if lines and lines[0].startswith("#"):
        for part in lines[0][1:].split(","):
            key, _, value = part.partition(":")
            meta[key.strip()] = value.strip()
        start = 1
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != ["cve", "epss", "percentile"]:
        raise InvalidInput(
            f"{file} line {start + 1}: expected header cve,epss,percentile", field="epss"
        )
    scores: dict[str, EpssScore] = {}
    for offset, row in enumerate(reader, start=start + 2):
        if not row:
            continue
        scores[_cve(row, file, offset)] = EpssScore(
            _fraction(row, 1, "epss", file, offset), _fraction(row, 2, "percentile", file, offset)
        )
    return EpssTable(meta.get("model_version", ""), meta.get("score_date", ""), scores)


def _cve(row: list[str], file: Path, line: int) -> str:
    if len(row) != 3:
        raise InvalidInput(
            f"{file} line {line}: expected 3 columns, found {len(row)}", field="epss"
        )
    cve = row[0].strip()
    if not _CVE_ID.match(cve):
        raise InvalidInput(f"{file} line {line}, column cve: {cve!r} is not a CVE id", field="epss")
    return cve


def _fraction(row: list[str], index: int, column: str, file: Path, line: int) -> float:
    try:
        value = float(row[index])
    except ValueError:
        raise InvalidInput(
            f"{file} line {line}, column {column}: {row[index]!r} is not a number", field="epss"
        ) from None
    if not 0.0 <= value <= 1.0:
        raise InvalidInput(
            f"{file} line {line}, column {column}: {value} is outside 0..1", field="epss"
        )
    return value
