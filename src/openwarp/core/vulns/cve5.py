"""CVE JSON 5 reader, with CISA's ADP Vulnrichment container.

Accepts a record file, a file holding a JSON array of records, a gzip (or
plain) JSON-lines file with one record per line, or a directory of any of these.
Bad input is reported with the file, the line and the JSON path, and by default
nothing is returned when anything is wrong (house rule 6): a partly loaded feed
would silently drop warnings. `keep_valid=True` is the user's explicit
confirmation that the valid records may be used, and the errors are returned.
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

import orjson

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cvss import block_score
from openwarp.core.vulns.ecosystems import entry_ecosystem
from openwarp.core.vulns.model import AffectedProduct, Vulnerability

__all__ = ["LoadResult", "load_cve5", "record_to_vulnerability"]

_CVE_ID = re.compile(r"^CVE-\d{4}-\d{4,}$")
_CVSS_KEYS = ("cvssV4_0", "cvssV3_1", "cvssV3_0", "cvssV2_0")
_SSVC_FIELDS = {
    "exploitation": "ssvc_exploitation",
    "automatable": "ssvc_automatable",
    "technical impact": "ssvc_technical_impact",
}
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
        for where, doc in _documents(file):
            try:
                records.append(record_to_vulnerability(doc))
            except _Bad as exc:
                message = f"{where}: {exc}"
                if not keep_valid:
                    raise InvalidInput(message, field="cve5") from None
                errors.append(message)


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


def _documents(path: Path) -> Iterator[tuple[str, Any]]:
    """Yield (location, parsed record). `.jsonl`/`.ndjson` files (optionally gzip) hold one
    record per line; any other file holds one record or a JSON array of records."""
    data = _open_text(path)
    name = path.name.lower()
    if ".jsonl" not in name and ".ndjson" not in name:
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise InvalidInput(f"{path}: broken JSON ({exc})", field="cve5") from None
        items = doc if isinstance(doc, list) else [doc]
        for index, item in enumerate(items):
            yield (f"{path} [{index}]" if isinstance(doc, list) else str(path)), item
        return
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"{path} line {number}", orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InvalidInput(f"{path} line {number}: broken JSON ({exc})", field="cve5") from None


def _need(obj: Any, key: str, path: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise _Bad(f"{path}.{key}" if path else key, "missing")
    value = obj[key]
    if not isinstance(value, kind):
        raise _Bad(f"{path}.{key}" if path else key, f"expected {_kind_name(kind)}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in names)


def record_to_vulnerability(doc: Any) -> Vulnerability:
    """Build a Vulnerability from one parsed record, checking the fields we rely on.

    The `affected` entries are checked here, so a bad record fails while loading,
    and built from the record's own JSON the first time they are read."""
    if not isinstance(doc, dict):
        raise _Bad("$", "a CVE record must be a JSON object")
    if doc.get("dataType") != "CVE_RECORD":
        raise _Bad("dataType", "expected 'CVE_RECORD'")
    meta = _need(doc, "cveMetadata", "", dict)
    cve_id = _need(meta, "cveId", "cveMetadata", str)
    if not _CVE_ID.match(cve_id):
        raise _Bad("cveMetadata.cveId", f"{cve_id!r} is not a CVE id")
    state = _need(meta, "state", "cveMetadata", str)
    containers = _need(doc, "containers", "", dict)
    vuln = Vulnerability(cve_id=cve_id, state=state)
    if state != "PUBLISHED":
        return vuln
    cna = _need(containers, "cna", "containers", dict)
    vuln.description = _description(cna)
    pending = [("cna", "containers.cna", _checked_affected(cna, "containers.cna"))]
    _metrics(vuln, cna.get("metrics"), "containers.cna")
    adps = containers.get("adp") or []
    if not isinstance(adps, list):
        raise _Bad("containers.adp", "expected list")
    for index, adp in enumerate(adps):
        path = f"containers.adp[{index}]"
        if not isinstance(adp, dict):
            raise _Bad(path, "expected object")
        title = str(adp.get("title") or adp.get("providerMetadata", {}).get("shortName", "adp"))
        pending.append((f"adp:{title}", path, _checked_affected(adp, path)))
        _metrics(vuln, adp.get("metrics"), path)
    vuln.defer_affected(partial(_build_affected, pending))
    return vuln


def _description(cna: dict[str, Any]) -> str:
    for item in cna.get("descriptions") or []:
        if isinstance(item, dict) and str(item.get("lang", "")).startswith("en"):
            return str(item.get("value", ""))
    return ""


def _checked_affected(container: dict[str, Any], path: str) -> list[Any]:
    """The container's `affected` list once every entry has the shape we read."""
    items = container.get("affected")
    if items is None:
        return []
    if type(items) is not list:
        raise _Bad(f"{path}.affected", "expected list")
    if not _entries_look_right(items):
        _name_the_fault(items, path)
    return items


def _entries_look_right(items: list[Any]) -> bool:
    """One quick pass (Cisco records list a thousand versions); plain loops, since
    most lists are short and a generator costs more than the checks."""
    for item in items:
        if type(item) is not dict:
            return False
        versions = item.get("versions")
        if versions:
            if type(versions) is not list:
                return False
            for v in versions:
                if type(v) is not dict or type(v.get("status")) is not str:
                    return False
                if type(v.get("version")) is not str:
                    return False
        cpes = item.get("cpes")
        if cpes and type(cpes) is not list:
            return False
    return True


def _name_the_fault(items: list[Any], path: str) -> None:
    """Raise _Bad at the JSON path of the first entry the quick check refused."""
    for index, item in enumerate(items):
        where = f"{path}.affected[{index}]"
        if not isinstance(item, dict):
            raise _Bad(where, "expected object")
        versions = item.get("versions") or []
        if not isinstance(versions, list):
            raise _Bad(f"{where}.versions", "expected list")
        for vindex, version in enumerate(versions):
            _need(version, "status", f"{where}.versions[{vindex}]", str)
            _need(version, "version", f"{where}.versions[{vindex}]", str)
        if item.get("cpes") and type(item["cpes"]) is not list:
            raise _Bad(f"{where}.cpes", "expected list")
    raise _Bad(f"{path}.affected", "unexpected shape")


def _build_affected(pending: list[tuple[str, str, list[Any]]]) -> list[AffectedProduct]:
    """AffectedProducts from entries `_checked_affected` passed."""
    out = []
    for source, path, items in pending:
        for index, item in enumerate(items):
            get = item.get
            cpes = get("cpes") or ()
            platforms = get("platforms")
            package = get("packageName")
            versions = get("versions") or []
            url = get("collectionURL")
            out.append(
                AffectedProduct(
                    source,
                    str(get("vendor") or ""),
                    str(get("product") or ""),
                    versions,
                    str(get("defaultStatus") or "unknown"),
                    tuple(map(str, cpes)),
                    str(package) if package else None,
                    tuple(map(str, platforms)) if type(platforms) is list else (),
                    f"{path}.affected[{index}]",
                    entry_ecosystem(url if isinstance(url, str) else None, versions),
                )
            )
    return out


def _metrics(vuln: Vulnerability, metrics: Any, path: str) -> None:
    """Take the first CVSS score found (CNA before ADP), SSVC and the ADP's KEV flag."""
    if not isinstance(metrics, list):
        return
    for metric in metrics:
        if not isinstance(metric, dict):
            continue
        if vuln.cvss_score is None:
            _cvss(vuln, metric)
        other = metric.get("other")
        if isinstance(other, dict):
            _other_metric(vuln, other)


def _cvss(vuln: Vulnerability, metric: dict[str, Any]) -> None:
    """The newest CVSS version in one metric that gives a base score (its own, or
    computed from its vector)."""
    for key in _CVSS_KEYS:
        block = metric.get(key)
        if isinstance(block, dict):
            score = block_score(block)
            if score is not None:
                vuln.cvss_score = score
                vuln.cvss_vector = block.get("vectorString")
                return


def _other_metric(vuln: Vulnerability, other: dict[str, Any]) -> None:
    kind = other.get("type")
    content = other.get("content")
    if not isinstance(content, dict):
        return
    if kind == "ssvc":
        for option in content.get("options") or ():
            if not isinstance(option, dict):
                continue
            for name, value in option.items():
                attribute = _SSVC_FIELDS.get(name.lower())
                if attribute is not None:
                    setattr(vuln, attribute, str(value).strip().lower())
    elif kind == "kev":
        vuln.kev = True
        vuln.kev_date_added = content.get("dateAdded")
