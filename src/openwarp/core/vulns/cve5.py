"""CVE JSON 5 reader, with CISA's ADP Vulnrichment container.

Accepts a record file, a file holding a JSON array of records, a gzip (or
plain) JSON-lines file with one record per line, or a directory of any of these.
Bad input is reported with the file, the line and the JSON path, and by default
nothing is returned when anything is wrong (house rule 6): a partly loaded feed
would silently drop warnings. `keep_valid=True` is the user's explicit
confirmation that the valid records may be used, and the errors are returned.

Each record is decoded straight into the typed structs of `cve5_schema` (msgspec),
which checks the fields we read and skips the rest in one pass (ADR 0203).
"""

from __future__ import annotations

import gc
import gzip
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import msgspec

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cve5_schema import (
    Container,
    Entry,
    Metric,
    Record,
    kev_decoder,
    record_decoder,
    schema_fault,
    ssvc_decoder,
)
from openwarp.core.vulns.cvss import score_of
from openwarp.core.vulns.ecosystems import entry_ecosystem
from openwarp.core.vulns.model import AffectedProduct, Vulnerability

__all__ = ["LoadResult", "load_cve5", "record_from_json", "record_to_vulnerability"]

_CVE_ID = re.compile(r"^CVE-\d{4}-\d{4,}$")
_SSVC_FIELDS = {
    "exploitation": "ssvc_exploitation",
    "automatable": "ssvc_automatable",
    "technical impact": "ssvc_technical_impact",
}
_ARRAY = re.compile(rb"\s*\[")
_items_decoder = msgspec.json.Decoder(list[msgspec.Raw])
_RECORD_SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz", ".ndjson", ".ndjson.gz")


@dataclass(slots=True)
class LoadResult:
    records: list[Vulnerability]
    errors: list[str]


class _Bad(Exception):
    """A schema problem at a JSON path inside one record."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")


def load_cve5(paths: Iterable[str | Path], *, keep_valid: bool = False) -> LoadResult:
    """Read every CVE record under `paths`; raise InvalidInput on the first error
    unless `keep_valid`, in which case the errors are listed beside the valid records."""
    records: list[Vulnerability] = []
    errors: list[str] = []
    # Bulk loading allocates millions of acyclic containers; the cyclic collector
    # would rescan them again and again (it doubled the load time), so pause it.
    paused = gc.isenabled()
    gc.disable()
    try:
        _load_into(paths, records, errors, keep_valid)
    finally:
        if paused:
            gc.enable()
    return LoadResult(records, errors)


def _load_into(
    paths: Iterable[str | Path], records: list[Vulnerability], errors: list[str], keep_valid: bool
) -> None:
    for file in _files(paths):
        for where, raw in _documents(file):
            try:
                records.append(_decoded(raw))
                continue
            except msgspec.ValidationError as exc:  # before DecodeError, its base class
                fault = _fault_text(exc)
            except msgspec.DecodeError as exc:
                raise InvalidInput(f"{where}: broken JSON ({exc})", field="cve5") from None
            except _Bad as exc:
                fault = str(exc)
            if not keep_valid:
                raise InvalidInput(f"{where}: {fault}", field="cve5")
            errors.append(f"{where}: {fault}")


def _files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.name.lower().endswith(_RECORD_SUFFIXES)
            )
            yield from found
        elif path.is_file():
            yield path
        else:
            raise InvalidInput(f"{path}: no such file or directory", field="cve5")


def _open_text(path: Path) -> bytes:
    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                return handle.read()
        return path.read_bytes()
    except (OSError, EOFError) as exc:
        raise InvalidInput(f"{path}: cannot read ({exc})", field="cve5") from None


def _documents(path: Path) -> Iterator[tuple[str, bytes | msgspec.Raw]]:
    """Yield (location, one record's JSON). `.jsonl`/`.ndjson` files (optionally gzip)
    hold one record per line; any other file holds one record or a JSON array of them,
    whose items are decoded one by one (a bad one is named by its index)."""
    data = _open_text(path)
    name = path.name.lower()
    if ".jsonl" in name or ".ndjson" in name:
        for number, line in enumerate(data.splitlines(), start=1):
            if line.strip():
                yield f"{path} line {number}", line
        return
    if not _ARRAY.match(data):
        yield str(path), data
        return
    try:
        items = _items_decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise InvalidInput(f"{path}: broken JSON ({exc})", field="cve5") from None
    for index, item in enumerate(items):
        yield f"{path} [{index}]", item


def _fault_text(exc: msgspec.ValidationError) -> str:
    where, message = schema_fault(exc)
    return f"{where}: {message}"


def _decoded(raw: bytes | msgspec.Raw) -> Vulnerability:
    return _vulnerability(record_decoder.decode(raw))


def record_from_json(data: bytes) -> Vulnerability:
    """One record from its JSON text (a new record arriving on its own); schema faults
    and broken JSON raise InvalidInput naming the JSON path."""
    try:
        return _decoded(data)
    except msgspec.ValidationError as exc:
        raise InvalidInput(_fault_text(exc), field="cve5") from None
    except msgspec.DecodeError as exc:
        raise InvalidInput(f"broken JSON ({exc})", field="cve5") from None
    except _Bad as exc:
        raise InvalidInput(str(exc), field="cve5") from None


def record_to_vulnerability(doc: Any) -> Vulnerability:
    """Build a Vulnerability from one already parsed record (a dict), with the same
    checks as the reader (it goes back to JSON text for them: this is for a record
    at a time, the reader never parses twice); a fault raises InvalidInput."""
    return record_from_json(msgspec.json.encode(doc))


def _vulnerability(record: Record) -> Vulnerability:
    """The Vulnerability of a decoded record. The decoder has checked the types of
    what is read here; `affected` entries are built the first time they are read."""
    if record.dataType != "CVE_RECORD":
        raise _Bad("dataType", "expected 'CVE_RECORD'")
    meta = record.cveMetadata
    cve_id = meta.cveId
    if not _CVE_ID.match(cve_id):
        raise _Bad("cveMetadata.cveId", f"{cve_id!r} is not a CVE id")
    vuln = Vulnerability(cve_id=cve_id, state=meta.state)
    if meta.state != "PUBLISHED":
        return vuln
    cna = record.containers.cna
    if cna is None:
        raise _Bad("containers.cna", "missing")
    vuln.description = _description(cna)
    pending = [("cna", "containers.cna", cna.affected)] if cna.affected else []
    if cna.metrics:
        _metrics(vuln, cna.metrics)
    for index, adp in enumerate(record.containers.adp or ()):
        if adp.affected:
            pending.append((f"adp:{_adp_title(adp)}", f"containers.adp[{index}]", adp.affected))
        if adp.metrics:
            _metrics(vuln, adp.metrics)
    if pending:
        vuln.defer_affected(partial(_build_affected, pending))
    else:
        vuln.affected = []
    return vuln


def _adp_title(adp: Container) -> str:
    if adp.title:
        return adp.title
    provider = adp.providerMetadata
    if provider is not None and provider.shortName is not None:
        return provider.shortName
    return "adp"


def _description(cna: Container) -> str:
    for item in cna.descriptions or ():
        if item.lang.startswith("en"):
            return item.value
    return ""


def _build_affected(pending: list[tuple[str, str, tuple[Entry, ...]]]) -> list[AffectedProduct]:
    """AffectedProducts from the decoded entries (their `versions` are plain dicts)."""
    out = []
    for source, path, items in pending:
        for index, item in enumerate(items):
            versions: list[Any] = item.versions or []
            out.append(
                AffectedProduct(
                    source,
                    item.vendor or "",
                    item.product or "",
                    versions,
                    item.defaultStatus or "unknown",
                    item.cpes or (),
                    item.packageName or None,
                    item.platforms or (),
                    f"{path}.affected[{index}]",
                    entry_ecosystem(item.collectionURL, versions),
                )
            )
    return out


def _metrics(vuln: Vulnerability, metrics: list[Metric]) -> None:
    """Take the first CVSS score found (CNA before ADP), SSVC and the ADP's KEV flag."""
    for metric in metrics:
        if vuln.cvss_score is None:
            _cvss(vuln, metric)
        other = metric.other
        if other is not None:
            _other_metric(vuln, other.type, other.content)


def _cvss(vuln: Vulnerability, metric: Metric) -> None:
    """The newest CVSS version in one metric that gives a base score (its own, or
    computed from its vector)."""
    for block in (metric.cvssV4_0, metric.cvssV3_1, metric.cvssV3_0, metric.cvssV2_0):
        if block is not None:
            score = score_of(block.baseScore, block.vectorString)
            if score is not None:
                vuln.cvss_score = score
                vuln.cvss_vector = block.vectorString
                return


def _other_metric(vuln: Vulnerability, kind: str, content: msgspec.Raw) -> None:
    if kind == "ssvc":
        _ssvc(vuln, content)
    elif kind == "kev":
        try:
            kev = kev_decoder.decode(content)
        except msgspec.ValidationError:
            return  # free-form content that is not an object: not a KEV flag we can read
        vuln.kev = True
        vuln.kev_date_added = kev.dateAdded


def _ssvc(vuln: Vulnerability, content: msgspec.Raw) -> None:
    """CISA's SSVC options, by the names it gives them; any other shape (a name in
    other letters, a null value, an option that is not an object) is read the
    lenient way, as a plain parsed object."""
    try:
        options = ssvc_decoder.decode(content).options or ()
    except msgspec.ValidationError:
        _ssvc_lenient(vuln, msgspec.json.decode(content))
        return
    for option in options:
        exploitation, automatable, impact = (
            option.exploitation,
            option.automatable,
            option.technical_impact,
        )
        if exploitation is None and automatable is None and impact is None:
            _ssvc_lenient(vuln, msgspec.json.decode(content))
            return
        if exploitation is not None:
            vuln.ssvc_exploitation = str(exploitation).strip().lower()
        if automatable is not None:
            vuln.ssvc_automatable = str(automatable).strip().lower()
        if impact is not None:
            vuln.ssvc_technical_impact = str(impact).strip().lower()


def _ssvc_lenient(vuln: Vulnerability, content: Any) -> None:
    if not isinstance(content, dict) or not isinstance(content.get("options"), list):
        return
    for option in content["options"]:
        if not isinstance(option, dict):
            continue
        for name, value in option.items():
            attribute = _SSVC_FIELDS.get(name.lower())
            if attribute is not None:
                setattr(vuln, attribute, str(value).strip().lower())
