"""Fetching an external feed from where it is published into files to import.

Four shapes of source, all ending as files in one folder that the ordinary
indicator loaders read, so a fetched feed goes through exactly the import an
uploaded file does (one transaction, nothing half-imported):

- `list`: one file (CSV, plain list, maltrail TSV; gzip too), read by content.
- `stix`: one STIX 2.1 bundle.
- `misp`: a MISP feed directory: `manifest.json`, then only the events whose
  timestamp changed since the last good run (the cursor is uuid -> timestamp).
- `taxii`: a TAXII 2.1 collection, page by page, from the `added_after` the
  server gave at the end of the last good run (its clock, not ours).

Each fetcher returns the files and the cursor to keep *if* the import
succeeds; the caller stores the cursor in the same transaction as the data.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import orjson

from openwarp.core.errors import InvalidInput
from openwarp.core.fetching import FetchFailed, check_url, get

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_EVENT_BYTES = 32 * 1024 * 1024
MAX_EVENTS_PER_RUN = 2_000
_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_SAFE_NAME_RE = re.compile(r"[^A-Za-z0-9._-]")


class SourceFormat(StrEnum):
    LIST = "list"
    STIX = "stix"
    MISP = "misp"
    TAXII = "taxii"

    @property
    def label(self) -> str:
        return FORMAT_LABELS[self]


FORMAT_LABELS = {
    SourceFormat.LIST: "A list file: CSV, plain list or maltrail TSV (gzip too)",
    SourceFormat.STIX: "A STIX 2.1 bundle",
    SourceFormat.MISP: "A MISP feed directory (manifest.json and events)",
    SourceFormat.TAXII: "A TAXII 2.1 collection",
}


@dataclass
class Fetched:
    """What one run brought: files for the loader, the cursor to keep after a
    good import, and a sentence saying what was fetched."""

    paths: list[Path] = field(default_factory=list)
    cursor: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def file_name(url: str, default: str) -> str:
    """A safe local name that keeps the URL's extension (the loaders read
    `.csv`, `.tsv` and `.gz` from it)."""
    name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    name = _SAFE_NAME_RE.sub("_", name).lstrip(".")[:100]
    return name or default


def fetch_list(url: str, folder: Path) -> Fetched:
    path = get(url, folder / file_name(url, "feed.txt"), max_bytes=MAX_FILE_BYTES)
    return Fetched(paths=[path], note=f"fetched {path.stat().st_size:,} bytes")


def fetch_stix(url: str, folder: Path) -> Fetched:
    """A bundle must say it is one: anything else is a failed run, not an empty feed."""
    path = get(url, folder / "bundle.json", max_bytes=MAX_FILE_BYTES)
    document = _json(path, url)
    if not isinstance(document, dict) or document.get("type") != "bundle":
        raise FetchFailed(f'{url}: not a STIX 2.1 bundle (no "type": "bundle")')
    objects = document.get("objects") or []
    return Fetched(paths=[path], note=f"fetched a bundle of {len(objects):,} objects")


def _json(path: Path, url: str) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise FetchFailed(f"{url}: broken JSON ({exc})") from None


def _timestamp(entry: Any, url: str, uuid: str) -> int:
    raw = entry.get("timestamp") if isinstance(entry, dict) else None
    try:
        return int(str(raw))
    except ValueError:
        raise FetchFailed(f"{url}: manifest.json: event {uuid}: no usable timestamp") from None


def misp_changed(
    manifest: Any, seen: dict[str, int], url: str, limit: int = MAX_EVENTS_PER_RUN
) -> tuple[list[tuple[str, int]], int]:
    """Events new or changed since `seen`, oldest first, at most `limit` (the
    rest come next run), and how many were held back by the limit."""
    if not isinstance(manifest, dict):
        raise FetchFailed(f"{url}: manifest.json is not an object of events by uuid")
    changed = []
    for uuid, entry in manifest.items():
        if not _UUID_RE.fullmatch(str(uuid)):
            raise FetchFailed(f"{url}: manifest.json: {str(uuid)[:60]!r} is not an event uuid")
        stamp = _timestamp(entry, url, uuid)
        if stamp > seen.get(uuid.lower(), -1):
            changed.append((uuid.lower(), stamp))
    changed.sort(key=lambda item: (item[1], item[0]))
    return changed[:limit], max(0, len(changed) - limit)


def fetch_misp(url: str, folder: Path, cursor: dict[str, Any]) -> Fetched:
    base = url if url.endswith("/") else f"{url}/"
    check_url(base)
    manifest = _json(get(urljoin(base, "manifest.json"), folder / "manifest.json"), base)
    seen = {str(k): int(v) for k, v in (cursor.get("events") or {}).items()}
    changed, held = misp_changed(manifest, seen, base)
    events = folder / "events"
    events.mkdir()
    paths = [
        get(urljoin(base, f"{uuid}.json"), events / f"{uuid}.json", max_bytes=MAX_EVENT_BYTES)
        for uuid, _ in changed
    ]
    listed = {str(uuid).lower() for uuid in manifest}
    kept = {uuid: stamp for uuid, stamp in seen.items() if uuid in listed}
    kept.update(changed)
    note = f"{len(changed)} new or changed event(s) of {len(manifest)}"
    if held:
        note += f"; {held} more next run"
    return Fetched(paths=paths, cursor={"events": kept}, note=note)


def misp_directory_files(folder: Path) -> list[Path]:
    """The event files of a MISP feed directory copied by hand (the offline
    path): every event its manifest lists, each of which must be there."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise InvalidInput(f"{folder}: not a MISP feed directory (no manifest.json)", field="file")
    try:
        manifest = orjson.loads(manifest_path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"{manifest_path}: not valid JSON ({exc})", field="file") from None
    try:
        listed, _ = misp_changed(manifest, {}, str(folder), limit=sys.maxsize)
    except FetchFailed as error:
        raise InvalidInput(error.message, field="file") from None
    paths = [folder / f"{uuid}.json" for uuid, _ in listed]
    missing = [path.name for path in paths if not path.is_file()]
    if missing:
        raise InvalidInput(
            f"{folder}: the manifest lists {missing[0]}, which is not there", field="file"
        )
    return paths
